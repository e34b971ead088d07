/**
 * SQLite's read capabilities (`SqlCapabilities`: kept `list_counts`,
 * index-ordered owner plans, owners per UNION statement, keys per statement)
 * change how the shared reader asks, never what it answers: a SqliteStore
 * with every one of them off (and tiny chunks, so that every key list is
 * split) answers every list, nested page and count of the seed graph as the
 * store with SQLite's own capabilities does, in fewer statements for the latter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ListQuery, OwnerField } from '../../src/store/lists.js';
import type { SqlCapabilities } from '../../src/store/sql/sql-graph-reader.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/** SQLite read with none of its capabilities: the generic statements, two keys or owners per statement. */
class PlainSqliteStore extends SqliteStore {
  protected override readonly capabilities: SqlCapabilities = {
    maxKeysPerStatement: 2,
    keyList: 'in-list',
    ownersPerUnionStatement: 2,
    keptListCounts: false,
    ownerIndexPlans: false,
  };
}

let server: TestServer;
let own: SqliteStore;
let plain: PlainSqliteStore;
beforeAll(async () => {
  server = await startTestServer();
  own = new SqliteStore(server.dbPath, { readonly: true });
  plain = new PlainSqliteStore(server.dbPath, { readonly: true });
});
afterAll(async () => {
  await own?.close();
  await plain?.close();
  await server?.stop();
});

/** Nested lists as the API batches them, by owner. */
const NESTED: { query: ListQuery; owner: OwnerField; owners: 'entities' | 'documents' | 'events' }[] = [
  ...(['BOTH', 'OUTGOING', 'INCOMING'] as const).map((direction) => ({ query: { list: 'relationships', direction } as ListQuery, owner: 'entity' as const, owners: 'entities' as const })),
  { query: { list: 'mentions' }, owner: 'entity', owners: 'entities' },
  { query: { list: 'mentions' }, owner: 'document', owners: 'documents' },
  { query: { list: 'statements' }, owner: 'speaker', owners: 'entities' },
  { query: { list: 'statements' }, owner: 'about', owners: 'entities' },
  { query: { list: 'statements' }, owner: 'event', owners: 'events' },
  { query: { list: 'events' }, owner: 'participant', owners: 'entities' },
];

describe('SQLite read capabilities', () => {
  it('answer every unfiltered list count as counting does', async () => {
    for (const list of ['entities', 'events', 'statements', 'relationships', 'mentions', 'documents', 'audit'] as const) {
      expect(await own.listCount({ list } as ListQuery), list).toBe(await plain.listCount({ list } as ListQuery));
    }
  });

  it('answer every nested page and count of the seed graph as the generic statements do', async () => {
    const ids = {
      entities: (await own.listPage({ list: 'entities' }, { first: 10_000, after: null })).rows.map((r) => r.id),
      documents: (await own.listPage({ list: 'documents' }, { first: 10_000, after: null })).rows.map((r) => r.id),
      events: (await own.listPage({ list: 'events' }, { first: 10_000, after: null })).rows.map((r) => r.id),
    };
    expect(ids.entities.length).toBeGreaterThan(10);
    let nonEmpty = 0;
    for (const { query, owner, owners } of NESTED) {
      const counts = await own.listCountsByOwner(query, owner, ids[owners]);
      expect([...counts], `${query.list} by ${owner}`).toEqual([...(await plain.listCountsByOwner(query, owner, ids[owners]))]);
      for (const first of [0, 1, 3]) {
        const pages = await own.listPagesByOwner(query, owner, ids[owners], { first, after: null });
        expect([...pages], `${query.list} by ${owner}, first ${first}`).toEqual([...(await plain.listPagesByOwner(query, owner, ids[owners], { first, after: null }))]);
        // And after each owner's first row.
        for (const [id, page] of pages) {
          if (!page.positions[0]) continue;
          const after = { first, after: page.positions[0] };
          expect((await own.listPagesByOwner(query, owner, [id], after)).get(id), `${query.list} by ${owner} ${id}`).toEqual(
            (await plain.listPagesByOwner(query, owner, [id], after)).get(id),
          );
          nonEmpty++;
        }
      }
    }
    expect(nonEmpty).toBeGreaterThan(20);
  });

  it('answer lookups by many keys in one statement as in many', async () => {
    const ids = (await own.listPage({ list: 'entities' }, { first: 10_000, after: null })).rows.map((r) => r.id);
    const keys = [...ids, ...ids.slice(0, 3), 'entity:missing'];
    const before = { own: own.statementCount, plain: plain.statementCount };
    // Unordered lookups: compare as sets (the loaders key rows by id).
    const byId = <Row extends { id: string }>(rows: Row[]) => [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const entities = await own.entitiesByIds(keys);
    expect(entities).toHaveLength(ids.length);
    expect(byId(entities)).toEqual(byId(await plain.entitiesByIds(keys)));
    const aliases = (rows: { entityId: string; name: string }[]) => rows.map((a) => `${a.entityId} ${a.name}`).sort();
    expect(aliases(await own.aliasesByEntityIds(keys))).toEqual(aliases(await plain.aliasesByEntityIds(keys)));
    expect(own.statementCount - before.own).toBe(2);
    expect(plain.statementCount - before.plain).toBe(2 * Math.ceil((ids.length + 1) / 2));
  });
});
