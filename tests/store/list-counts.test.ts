/**
 * The kept sizes of the top-level lists (table list_counts, maintained by
 * triggers) always equal COUNT(*): after the seed build, after a rebuild that
 * replaces the graph, after direct deletes and inserts; and an unfiltered
 * `totalCount` answers with them.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildGraph } from '../../src/build/build-graph.js';
import { createSeedFixture, removeSeedFixture } from '../helpers/seed-fixture.js';
import { SEEDS_DIR, startTestServer, type TestServer } from '../helpers/test-server.js';

const LISTS = ['entities', 'relationships', 'statements', 'events', 'documents'];

let server: TestServer;
let fixture: string;
beforeAll(async () => {
  server = await startTestServer({ env: { RESPONSE_CACHE_BYTES: '0' } });
  fixture = createSeedFixture();
});
afterAll(async () => {
  await server?.stop();
  removeSeedFixture(fixture);
});

function expectKeptEqualsCounted(): void {
  const db = new Database(server.dbPath, { readonly: true });
  try {
    for (const list of LISTS) {
      const kept = (db.prepare('SELECT n FROM list_counts WHERE list = ?').get(list) as { n: number }).n;
      const counted = (db.prepare(`SELECT COUNT(*) AS n FROM ${list}`).get() as { n: number }).n;
      expect(kept, list).toBe(counted);
    }
  } finally {
    db.close();
  }
}

describe('kept list sizes', () => {
  it('match COUNT(*) after the seed build and answer totalCount', async () => {
    expectKeptEqualsCounted();
    const data = await server.data('{ entities { totalCount } relationships { totalCount } statements { totalCount } events { totalCount } documents { totalCount } }');
    // The seed article: 23 entities, 25 relationships, 20 statements, 16 events, 1 document (seeds/*.annotations.yaml).
    expect(data).toEqual({
      entities: { totalCount: 23 },
      relationships: { totalCount: 25 },
      statements: { totalCount: 20 },
      events: { totalCount: 16 },
      documents: { totalCount: 1 },
    });
  });

  it('follow a rebuild with other seeds, and back', async () => {
    await buildGraph(server.store, fixture, { force: true });
    expectKeptEqualsCounted();
    expect((await server.data('{ entities { totalCount } }')).entities.totalCount).toBe(4);
    await buildGraph(server.store, SEEDS_DIR, { force: true });
    expectKeptEqualsCounted();
  });

  it('follow direct deletes and inserts', async () => {
    const db = new Database(server.dbPath);
    db.prepare('DELETE FROM relationships WHERE rowid IN (SELECT rowid FROM relationships ORDER BY id LIMIT 3)').run();
    db.prepare("INSERT INTO events (id, name, kind, description, sort_key) VALUES ('event:extra', 'Extra', 'OTHER', 'An extra event.', '~')").run();
    db.close();
    expectKeptEqualsCounted();
    const data = await server.data('{ relationships { totalCount } events { totalCount } }');
    expect(data).toEqual({ relationships: { totalCount: 22 }, events: { totalCount: 17 } });
  });
});
