/**
 * What only the PostgreSQL backend does: key lists bound as one array, and
 * prepared statements that survive a newer instance's migration.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openStore } from '../../../src/store/open-store.js';
import { listPagesByOwnerSql } from '../../../src/store/sql/list-sql.js';
import type { GraphStore } from '../../../src/store/store.js';
import { backend, backendTitle, type TestDatabase } from '../../helpers/backends.js';
import { fixtureGraph } from '../fixture-graph.js';

const postgres = backend('postgres');

describe.skipIf(!postgres.available)(backendTitle(postgres, 'PostgreSQL store'), () => {
  let db: TestDatabase;
  let store: GraphStore;
  beforeAll(async () => {
    db = await postgres.createDatabase();
    store = await openStore(db.url, { poolMax: 1 });
    await store.replaceGraph(fixtureGraph(), 'f');
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  async function admin(sql: string): Promise<Record<string, unknown>[]> {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  }

  it('binds a key list as one array, so a statement has one text for any number of keys', () => {
    const page = { first: 3, after: null };
    const one = listPagesByOwnerSql({ list: 'relationships' }, 'entity', ['a'], page, { keyList: 'any-array' });
    const three = listPagesByOwnerSql({ list: 'relationships' }, 'entity', ['a', 'b', 'c'], page, { keyList: 'any-array' });
    expect(three.sql).toBe(one.sql);
    expect(three.params).toEqual([['a', 'b', 'c'], ['a', 'b', 'c'], 4]);
    // The default, for SQLite: one placeholder per key.
    expect(listPagesByOwnerSql({ list: 'relationships' }, 'entity', ['a', 'b'], page).params).toEqual(['a', 'b', 'a', 'b', 4]);
  });

  it('keeps answering after a newer migration adds a column under a prepared statement', async () => {
    expect((await store.entitiesByIds(['actor:zeta']))[0]!.name).toBe('Zeta Force');
    await admin("ALTER TABLE entities ADD COLUMN added_by_newer_code TEXT NOT NULL DEFAULT 'x'");
    expect((await store.entitiesByIds(['actor:zeta']))[0]!.name).toBe('Zeta Force');
    expect((await store.entitiesByIds(['actor:zeta', 'place:oslo'])).map((e) => e.id).sort()).toEqual(['actor:zeta', 'place:oslo']);
  });
});
