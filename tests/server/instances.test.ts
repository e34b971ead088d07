/**
 * Several server instances on one PostgreSQL database, each in its own
 * process, as behind a load balancer: they start at the same moment on an
 * empty database (migrations and the first build must not collide), a rebuild
 * through one (SIGHUP, with changed seeds) is served by the other at once and
 * clears its cache, and a failed rebuild changes nothing anywhere.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { POSTGRES_SCHEMA_VERSION } from '../../src/store/postgres/postgres-migrations.js';
import { backend, backendTitle, type TestDatabase } from '../helpers/backends.js';
import { type ChildServer, startChildServer } from '../helpers/child-server.js';
import { SEEDS_DIR } from '../helpers/test-server.js';

const postgres = backend('postgres');
const TITLE = 'Mali Asks UN To End Peacekeeping Mission And Withdraw Forces';
const TITLE_QUERY = '{ documents { nodes { title } } }';

/** Poll `read` until `accept` holds; how long it took. Fails after `timeoutMs` (a bound for a hung test, not a performance target). */
async function waitUntil<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 10_000): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  for (;;) {
    const value = await read();
    if (accept(value)) return { value, ms: performance.now() - start };
    if (performance.now() - start > timeoutMs) throw new Error(`still ${JSON.stringify(value)} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe.skipIf(!postgres.available)(backendTitle(postgres, 'two server processes on one PostgreSQL database'), () => {
  let db: TestDatabase;
  let seeds: string;
  let a: ChildServer;
  let b: ChildServer;
  const title = async (server: ChildServer): Promise<string> => (await server.gql(TITLE_QUERY)).data.documents.nodes[0].title;
  const retitle = (text: string): void => {
    const file = join(seeds, 'documents.yaml');
    const yaml = readFileSync(file, 'utf8');
    writeFileSync(file, yaml.replace(/^(\s+title: ).*$/m, `$1${text}`));
  };
  async function query<T>(sql: string): Promise<T[]> {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      return (await client.query(sql)).rows as T[];
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    db = await postgres.createDatabase();
    seeds = mkdtempSync(join(tmpdir(), 'kg-seeds-'));
    cpSync(SEEDS_DIR, seeds, { recursive: true });
    const env = { DATABASE_URL: db.url, SEEDS_DIR: seeds, PG_POOL_MAX: '3' };
    // Both at once, on an empty database.
    [a, b] = await Promise.all([startChildServer(env), startChildServer(env)]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.drop();
    if (seeds) rmSync(seeds, { recursive: true, force: true });
  });

  it('started both on an empty database: migrated once, one graph, the same answers', async () => {
    const migrations = await query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(migrations.map((m) => m.version)).toEqual(Array.from({ length: POSTGRES_SCHEMA_VERSION }, (_, i) => i + 1));
    expect(await title(a)).toBe(TITLE);
    expect(await title(b)).toBe(TITLE);
    const [row] = await query<{ value: string }>("SELECT value FROM meta WHERE key = 'graph_version'");
    const version = Number(row!.value);
    // Each instance may have built once; both end up at the database's version.
    await waitUntil(() => Promise.all([a.graphVersion(), b.graphVersion()]), (v) => v[0] === version && v[1] === version);
  });

  it('serves a rebuild made through one instance from the other at once, and clears its cache', async () => {
    const before = await b.graphVersion();
    retitle('Mali Asks UN To End Peacekeeping Mission (revised)');
    const from = a.lines.length;
    a.process.kill('SIGHUP');
    const done = await a.waitForLine(/"msg":"rebuilt the graph"/, from);
    const version = Number(JSON.parse(done).graphVersion);
    expect(version).toBe(before + 1);
    // The write has committed: the other instance serves it within a second (the bound; its response
    // cache is cleared by the NOTIFY that the commit sends).
    await waitUntil(() => title(b), (t) => t === 'Mali Asks UN To End Peacekeeping Mission (revised)', 1000);
    expect(await a.graphVersion()).toBe(version);
    // Its cache hears of it through NOTIFY.
    const { ms } = await waitUntil(() => b.graphVersion(), (v) => v === version);
    console.log(`instance B cleared its cache ${ms.toFixed(1)} ms after A reported the rebuild`);
  });

  it('works the other way round too', async () => {
    retitle('Mali Asks UN To End Peacekeeping Mission (second revision)');
    const from = b.lines.length;
    b.process.kill('SIGHUP');
    const done = await b.waitForLine(/"msg":"rebuilt the graph"/, from);
    const version = Number(JSON.parse(done).graphVersion);
    await waitUntil(() => title(a), (t) => t === 'Mali Asks UN To End Peacekeeping Mission (second revision)', 1000);
    await waitUntil(() => a.graphVersion(), (v) => v === version);
  });

  it('keeps the previous graph everywhere when a rebuild fails', async () => {
    const version = await a.graphVersion();
    const annotations = readFileSync(join(seeds, 'mali-asks-un-to-end-peacekeeping-mission.annotations.yaml'), 'utf8');
    retitle('A title that must never be served');
    // A quote the article does not contain: the build must fail.
    writeFileSync(
      join(seeds, 'mali-asks-un-to-end-peacekeeping-mission.annotations.yaml'),
      annotations.replace('"Mali Asks UN To End Peacekeeping Mission"', '"Mali asks nobody for anything"'),
    );
    const from = a.lines.length;
    a.process.kill('SIGHUP');
    await a.waitForLine(/"msg":"rebuild failed; the previous graph stays in place"/, from);
    expect(await title(b)).toBe('Mali Asks UN To End Peacekeeping Mission (second revision)');
    await waitUntil(() => title(a), (t) => t === 'Mali Asks UN To End Peacekeeping Mission (second revision)', 1000);
    expect(await a.graphVersion()).toBe(version);
    expect(await b.graphVersion()).toBe(version);
  });
});
