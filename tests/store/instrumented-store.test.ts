/**
 * The timing decorator over a real SQLite store: every method call is
 * reported with its name and success, results pass through unchanged.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { instrumentStore } from '../../src/store/instrumented-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'kg-instrumented-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('instrumentStore', () => {
  it('times every call, passes results and errors through, and leaves properties alone', async () => {
    const calls: { method: string; ok: boolean; seconds: number }[] = [];
    const store = instrumentStore(new SqliteStore(join(dir, 'kg.sqlite')), (method, seconds, ok) => calls.push({ method, ok, seconds }));
    expect(store.backend).toBe('sqlite');
    expect(await store.ping()).toBe(true);
    expect(await store.seedFingerprint()).toBeNull(); // nothing built yet
    expect(await store.entitiesByIds(['actor:none'])).toEqual([]);
    expect(calls.map((c) => [c.method, c.ok])).toEqual([
      ['ping', true],
      ['seedFingerprint', true],
      ['entitiesByIds', true],
    ]);
    expect(calls.every((c) => c.seconds >= 0)).toBe(true);
    await store.close();
    await expect(store.entitiesByIds(['actor:none'])).rejects.toThrow();
    expect(calls.at(-1)).toMatchObject({ method: 'entitiesByIds', ok: false });
  });
});
