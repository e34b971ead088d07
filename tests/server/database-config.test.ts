/**
 * Choosing and configuring the database from the environment.
 */
import { describe, expect, it } from 'vitest';

import { loadConfig } from '../../src/server/config.js';
import { openStore } from '../../src/store/open-store.js';

describe('database configuration', () => {
  it('defaults to the SQLite file and a pool of 10 PostgreSQL connections', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBe('file:data/kg.sqlite');
    expect(config.pgPoolMax).toBe(10);
    expect(config.pgListenUrl).toBeNull();
  });

  it('reads PG_POOL_MAX and PG_LISTEN_URL', () => {
    const config = loadConfig({ PG_POOL_MAX: '4', PG_LISTEN_URL: 'postgres://db:5432/kg' });
    expect(config.pgPoolMax).toBe(4);
    expect(config.pgListenUrl).toBe('postgres://db:5432/kg');
  });

  it.each(['0', '-1', 'ten', '2.5'])('refuses PG_POOL_MAX=%s, naming the variable', (value) => {
    expect(() => loadConfig({ PG_POOL_MAX: value })).toThrow(/PG_POOL_MAX must be a (positive|non-negative) integer/);
  });

  it('refuses a URL scheme no backend serves, naming both that work', async () => {
    await expect(openStore('mysql://localhost/kg')).rejects.toThrow(/"mysql:" is not supported; use file:<path> .* postgres:\/\//);
  });

  it('reports an unreachable PostgreSQL server with its address but never its password', async () => {
    const error = await openStore('postgresql://kg:s3cret-pw@127.0.0.1:1/kg').then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/^Cannot open PostgreSQL database postgresql:\/\/kg:\*\*\*@127\.0\.0\.1:1\/kg: /);
    expect(error?.message).not.toContain('s3cret-pw');
  });
});
