/**
 * The index-ordered plans of owned-list-sql.ts answer exactly as the generic
 * plans: mentions by entity and by document, statements by speaker, and an
 * entity's relationships. For relationships: the plan answers exactly as the
 * generic window-function plan: same rows in the same order per owner, same
 * counts, for every entity of the seed graph, every direction, with and
 * without a type, for page sizes 0, 1 and 3, and (without a type) after every cursor.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { PageRequest, RelationshipListQuery } from '../../src/store/lists.js';
import { listCountsByOwnerSql, listPagesByOwnerSql, type SqlStatement } from '../../src/store/sql/list-sql.js';
import { indexedOwner, indexedOwnerCountSql, indexedOwnerPageSql, inListOrder, linkedCountSql, ownedRelationshipsCountSql, ownedRelationshipsPageSql } from '../../src/store/sql/owned-list-sql.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
let db: Database.Database;
beforeAll(async () => {
  server = await startTestServer();
  db = new Database(server.dbPath, { readonly: true });
});
afterAll(async () => {
  db?.close();
  await server?.stop();
});

const run = (s: SqlStatement) => db.prepare(s.sql).all(...(s.params as unknown[])) as Record<string, unknown>[];

/** Rows per owner, cut to `first` as the store does. */
function pages(rows: Record<string, unknown>[], first: number): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of rows) {
    const list = out.get(String(r.owner)) ?? [];
    out.set(String(r.owner), list);
    if (list.length < first) list.push(String(r.id));
  }
  return out;
}

describe('owned relationships, fast plan against generic plan', () => {
  it('agrees on every page and count of the seed graph', () => {
    const entities = (db.prepare('SELECT id FROM entities ORDER BY id').all() as { id: string }[]).map((r) => r.id);
    const types = [null, ...(db.prepare('SELECT DISTINCT type FROM relationships').all() as { type: string }[]).map((r) => r.type)];
    let compared = 0;
    for (const direction of ['BOTH', 'OUTGOING', 'INCOMING', null] as const) {
      for (const type of types) {
        const query: RelationshipListQuery = { list: 'relationships', direction, type };
        const counts = (s: SqlStatement) => new Map(run(s).map((r) => [String(r.owner), Number(r.n)]));
        const generic = counts(listCountsByOwnerSql(query, 'entity', entities));
        const fast = counts(ownedRelationshipsCountSql(query, entities));
        for (const id of entities) expect(fast.get(id) ?? 0, `${id} ${direction} ${type}`).toBe(generic.get(id) ?? 0);
        for (const first of [0, 1, 3]) {
          // Cursors: none, and (without a type filter) after each row of the owners' lists.
          const all = type ? [] : run(listPagesByOwnerSql(query, 'entity', entities, { first: 1000, after: null }));
          const afters: PageRequest['after'][] = [null, ...all.map((r) => ({ sortKey: String(r.sort_key), id: String(r.id) }))];
          for (const after of afters) {
            const page = { first, after };
            const want = pages(run(listPagesByOwnerSql(query, 'entity', entities, page)), first);
            const got = pages(inListOrder(run(ownedRelationshipsPageSql(query, entities, page))).sort((a, b) => (String(a.owner) < String(b.owner) ? -1 : String(a.owner) > String(b.owner) ? 1 : 0)), first);
            for (const id of entities) expect(got.get(id) ?? [], `${id} ${direction} ${type} ${first}`).toEqual(want.get(id) ?? []);
            compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
  });
});

describe('lists read from an owner index, against the generic plan', () => {
  it('agrees on mentions by entity and document and statements by speaker', () => {
    const entities = (db.prepare('SELECT id FROM entities ORDER BY id').all() as { id: string }[]).map((r) => r.id);
    const documents = (db.prepare('SELECT id FROM documents').all() as { id: string }[]).map((r) => r.id);
    const cases = [
      { query: { list: 'mentions' } as const, owner: 'entity' as const, owners: entities },
      { query: { list: 'mentions' } as const, owner: 'document' as const, owners: documents },
      { query: { list: 'statements' } as const, owner: 'speaker' as const, owners: entities },
    ];
    for (const { query, owner, owners } of cases) {
      const target = indexedOwner(query, owner)!;
      expect(target, `${query.list} by ${owner}`).not.toBeNull();
      const counts = (s: SqlStatement) => new Map(run(s).map((r) => [String(r.owner), Number(r.n)]));
      const generic = counts(listCountsByOwnerSql(query, owner, owners));
      const indexed = counts(indexedOwnerCountSql(target, owners));
      for (const id of owners) expect(indexed.get(id) ?? 0, `${query.list} ${owner} ${id}`).toBe(generic.get(id) ?? 0);
      const all = run(listPagesByOwnerSql(query, owner, owners, { first: 1000, after: null }));
      expect(all.length).toBeGreaterThan(10);
      const afters: PageRequest['after'][] = [null, ...all.filter((_, i) => i % 3 === 0).map((r) => ({ sortKey: String(r.sort_key), id: String(r.id) }))];
      for (const first of [0, 1, 4]) {
        for (const after of afters) {
          const page = { first, after };
          const want = pages(run(listPagesByOwnerSql(query, owner, owners, page)), first);
          const got = pages(inListOrder(run(indexedOwnerPageSql(target, owners, page))).sort((a, b) => (String(a.owner) < String(b.owner) ? -1 : String(a.owner) > String(b.owner) ? 1 : 0)), first);
          for (const id of owners) expect(got.get(id) ?? [], `${query.list} ${owner} ${id} ${first}`).toEqual(want.get(id) ?? []);
        }
      }
    }
    // A filter besides the owner keeps the generic plan.
    expect(indexedOwner({ list: 'statements', kind: 'ACCUSATION' } as never, 'speaker')).toBeNull();
  });
});

describe('counts through a link table, against the generic plan', () => {
  it('agrees on statements about and events of every entity and event', () => {
    const ids = (db.prepare('SELECT id FROM entities UNION ALL SELECT id FROM events ORDER BY 1').all() as { id: string }[]).map((r) => r.id);
    for (const [query, owner] of [[{ list: 'statements' }, 'about'], [{ list: 'events' }, 'participant']] as const) {
      const counts = (s: SqlStatement) => new Map(run(s).map((r) => [String(r.owner), Number(r.n)]));
      const generic = counts(listCountsByOwnerSql(query, owner, ids));
      const linked = counts(linkedCountSql(query, owner, ids)!);
      expect([...generic.values()].some((n) => n > 1)).toBe(true);
      for (const id of ids) expect(linked.get(id) ?? 0, `${query.list} ${owner} ${id}`).toBe(generic.get(id) ?? 0);
    }
    expect(linkedCountSql({ list: 'statements', kind: 'ACCUSATION' } as never, 'about', ['x'])).toBeNull();
  });
});
