/**
 * The server as `npm start` runs it: compiled by `tsc -p tsconfig.build.json`
 * into dist/ and run by plain Node (no TypeScript loader). It finds its schema
 * and seeds from the compiled files, builds the article's graph, answers in
 * production mode, and with BUILD_ON_START=false serves a database as it is,
 * without reading the seeds.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type ChildServer, startChildServer } from '../helpers/child-server.js';

const ROOT = join(import.meta.dirname, '..', '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

describe('the compiled server (npm start)', () => {
  let dir: string;
  const servers: ChildServer[] = [];
  const start = async (env: Record<string, string>): Promise<ChildServer> => {
    const server = await startChildServer({ NODE_ENV: 'production', RATE_LIMIT_PER_SECOND: '0', ...env }, { built: true });
    servers.push(server);
    return server;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kg-built-'));
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'pipe' });
  }, 240_000);
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('builds the seed graph and answers from it, with production error masking', async () => {
    const server = await start({ DATABASE_URL: `file:${join(dir, 'kg.sqlite')}` });
    const found = await server.gql<{ entity: { name: string; aliases: string[] } | null }>('query ($n: String!) { entity(name: $n) { name aliases } }', {
      n: 'Nebenzia',
    });
    expect(found.errors).toBeUndefined();
    // The article names Russia's UN ambassador Vassily Nebenzia.
    expect(found.data.entity?.name).toBe('Vassily Nebenzia');

    const bad = await server.gql('{ entity(name: "Mali") { noSuchField } }');
    expect(bad.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(bad)).not.toMatch(/stacktrace|\.ts:\d|\.js:\d/);

    const ready = await fetch(server.url.replace(/\/graphql$/, '/ready'));
    expect(ready.status).toBe(200);
  });

  it('serves a database as it is with BUILD_ON_START=false, without reading the seeds', async () => {
    // The graph the first test built, served by an instance whose seed folder does not exist.
    const server = await start({ DATABASE_URL: `file:${join(dir, 'kg.sqlite')}`, BUILD_ON_START: 'false', SEEDS_DIR: join(dir, 'no-such-seeds') });
    await server.waitForLine(/BUILD_ON_START=false/);
    const found = await server.gql<{ entity: { name: string } | null }>('{ entity(name: "MINUSMA") { name } }');
    expect(found.data.entity?.name).toBe('MINUSMA');

    // An empty database stays empty: nothing is built, and the instance says it is not ready.
    const empty = await start({ DATABASE_URL: `file:${join(dir, 'empty.sqlite')}`, BUILD_ON_START: 'false' });
    const counted = await empty.gql<{ entities: { totalCount: number } }>('{ entities(first: 1) { totalCount } }');
    expect(counted.data.entities.totalCount).toBe(0);
    const ready = await fetch(empty.url.replace(/\/graphql$/, '/ready'));
    expect(ready.status).toBe(503);
  });
});
