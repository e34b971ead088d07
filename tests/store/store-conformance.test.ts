/**
 * The store conformance suite: every backend answers every `GraphStore`
 * method the same way, on a real database of its kind. Expected values are
 * worked out by hand from tests/store/fixture-graph.ts.
 * `STORE_BACKENDS=sqlite` or `=postgres` runs one backend only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { GraphCache } from '../../src/store/graph-cache.js';
import type { ListPosition, ListQuery, OwnerField, Page, PageRequest } from '../../src/store/lists.js';
import { openStore } from '../../src/store/open-store.js';
import { SchemaTooNewError } from '../../src/store/schema-too-new-error.js';
import type { GraphChange, GraphStore } from '../../src/store/store.js';
import type { GraphData } from '../../src/store/types.js';
import { BACKENDS, backendTitle, type TestDatabase } from '../helpers/backends.js';
import { fixtureGraph } from './fixture-graph.js';

const all = (first = 100, after: ListPosition | null = null): PageRequest => ({ first, after });

/** Ids of a list, walked page by page with `size` rows a page. */
async function walk(store: GraphStore, query: ListQuery, size: number): Promise<string[]> {
  const ids: string[] = [];
  let after: ListPosition | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const page: Page<{ id: string }> = await store.listPage(query, { first: size, after });
    ids.push(...page.rows.map((r) => r.id));
    if (!page.hasNextPage) return ids;
    after = page.positions[page.positions.length - 1]!;
  }
  throw new Error('walk: more than 100 pages');
}

/** Ids per owner of a batched nested list. */
async function owned(store: GraphStore, query: ListQuery, owner: OwnerField, ids: string[], first = 100) {
  const pages = await store.listPagesByOwner(query, owner, ids, { first, after: null });
  return Object.fromEntries([...pages].map(([k, p]) => [k, { ids: p.rows.map((r) => (r as { id: string }).id), more: p.hasNextPage }]));
}

/** A promise of the next graph change `store` reports, with a stop function. */
async function nextChange(store: GraphStore): Promise<{ change: Promise<GraphChange>; stop: () => void }> {
  let resolve!: (c: GraphChange) => void;
  const change = new Promise<GraphChange>((r) => (resolve = r));
  const stop = await store.onGraphChanged((c) => resolve(c));
  return { change, stop };
}

const byId = <T extends { id: string }>(rows: T[]): T[] => [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(backendTitle(backend, 'store conformance'), () => {
    const opened: { store: GraphStore; db: TestDatabase | null }[] = [];
    /** Open a store on `db` (a fresh database when absent); closed after the suite. */
    async function open(db?: TestDatabase): Promise<{ store: GraphStore; db: TestDatabase }> {
      const fresh = db ?? (await backend.createDatabase());
      const store = await openStore(fresh.url);
      opened.push({ store, db: db ? null : fresh });
      return { store, db: fresh };
    }
    afterAll(async () => {
      for (const { store } of opened) await store.close().catch(() => undefined);
      for (const { db } of opened) await db?.drop();
    });

    describe('an empty database', () => {
      it('has no graph: no fingerprint, version 0, empty lists', async () => {
        const { store } = await open();
        expect(store.backend).toBe(backend.name);
        expect(await store.ping()).toBe(true);
        expect(await store.seedFingerprint()).toBeNull();
        expect(await store.graphVersion()).toBe(0);
        expect(await store.listCount({ list: 'entities' })).toBe(0);
        expect(await store.listPage({ list: 'events' }, all())).toEqual({ rows: [], positions: [], hasNextPage: false });
        expect(await store.entitiesByIds(['actor:zeta'])).toEqual([]);
      });
    });

    describe('the fixture graph', () => {
      let store: GraphStore;
      const data = fixtureGraph();
      beforeAll(async () => {
        ({ store } = await open());
        await store.replaceGraph(data, 'fingerprint-1');
      });

      it('records the fingerprint and bumps the version', async () => {
        expect(await store.seedFingerprint()).toBe('fingerprint-1');
        expect(await store.graphVersion()).toBe(1);
      });

      it('reads rows back as written, with mention counts, booleans and nulls intact, owned by the seeds', async () => {
        const mentionCount: Record<string, number> = { 'actor:zeta': 3, 'person:ann': 1 };
        const entities = await store.entitiesByIds([...data.entities.map((e) => e.id), 'actor:unknown']);
        expect(byId(entities)).toMatchObject(byId(data.entities.map((e) => ({ ...e, mentionCount: mentionCount[e.id] ?? 0 }))));
        expect(entities).toHaveLength(data.entities.length);
        const statements = await store.statementsByIds(data.statements.map((e) => e.id));
        const relationships = await store.relationshipsByIds(data.relationships.map((e) => e.id));
        const mentions = await store.mentionsByIds(data.mentions.map((e) => e.id));
        for (const row of [...entities, ...statements, ...relationships, ...mentions]) {
          expect(row).toMatchObject({ method: 'CURATED', confidence: 1, extractor: null, seed: true });
        }
        expect(byId(await store.eventsByIds(data.events.map((e) => e.id)))).toMatchObject(byId(data.events));
        expect(byId(statements)).toMatchObject(byId(data.statements));
        expect(byId(relationships)).toMatchObject(byId(data.relationships));
        expect(byId(await store.documentsByIds(data.documents.map((e) => e.id)))).toMatchObject(
          byId(data.documents.map((d) => ({ ...d, seed: true, extractor: null, ingestedAt: null }))),
        );
        expect(byId(mentions)).toMatchObject(byId(data.mentions));
      });

      it('answers repeated and unknown keys once, without error', async () => {
        const rows = await store.entitiesByIds(['place:oslo', 'place:oslo', 'nope', '']);
        expect(rows.map((r) => r.id)).toEqual(['place:oslo']);
        expect(await store.eventsByIds([])).toEqual([]);
      });

      it('returns owned rows in owner then position order', async () => {
        expect((await store.aliasesByEntityIds(['actor:eclair'])).map((a) => [a.name, a.source, a.ord])).toEqual([
          ['Éclair Group', 'TEXT', 0],
          ['EG', 'COMMON', 1],
          ['The Group', 'COMMON', 2],
        ]);
        expect((await store.evidenceByOwnerIds(['statement:s1', 'relationship:B'])).map((e) => [e.ownerId, e.ord, e.exact])).toEqual([
          ['relationship:B', 0, 'The State'],
          ['statement:s1', 0, 'Ann Smith said Zeta Force attacked Oslo'],
          ['statement:s1', 1, 'attacked'],
        ]);
        expect((await store.participantsByEventIds(['event:m2022-03'])).map((p) => [p.entityId, p.role])).toEqual([
          ['actor:zeta', 'GUEST'],
          ['person:ann', 'HOST'],
        ]);
        expect((await store.subjectsByStatementIds(['statement:s1'])).map((s) => s.subjectId)).toEqual(['actor:zeta', 'event:y2022']);
        expect((await store.aliasesByNorms(['group', 'oslo', 'nothing'])).map((a) => [a.norm, a.entityId, a.ord])).toEqual([
          ['group', 'actor:eclair', 2],
          ['group', 'actor:zeta', 1],
          ['oslo', 'place:oslo', 0],
        ]);
      });

      it.each<[string, ListQuery, string[]]>([
        // Normalised names: ann smith, eclair group, oslo, state ("The State"), zeta force.
        ['entities by name', { list: 'entities' }, ['person:ann', 'actor:eclair', 'place:oslo', 'actor:state', 'actor:zeta']],
        ['entities of a type', { list: 'entities', type: 'ACTOR' }, ['actor:eclair', 'actor:state', 'actor:zeta']],
        ['entities of a kind', { list: 'entities', kind: 'ARMED_GROUP' }, ['actor:eclair', 'actor:zeta']],
        // By earliest day, then latest; undated last.
        ['events by date', { list: 'events' }, ['event:y2022', 'event:m2022-03', 'event:d2022-03-15', 'event:d2023-06-30', 'event:undated']],
        ['events overlapping 10–20 March 2022', { list: 'events', from: '2022-03-10', to: '2022-03-20' }, ['event:y2022', 'event:m2022-03', 'event:d2022-03-15']],
        ['events from 2023', { list: 'events', from: '2023-01-01' }, ['event:d2023-06-30']],
        ['events up to 1 Feb 2022', { list: 'events', to: '2022-02-01' }, ['event:y2022']],
        ['events with a participant in two roles, once', { list: 'events', participant: 'actor:zeta' }, ['event:y2022', 'event:m2022-03']],
        ['events of a kind', { list: 'events', kind: 'ATTACK' }, ['event:y2022', 'event:d2022-03-15']],
        // Document A before b (code point order), then position 1, 2, 10 (not 1, 10, 2).
        ['statements in document order', { list: 'statements' }, ['statement:s1', 'statement:s2', 'statement:s10', 'statement:s3']],
        ['statements by a speaker', { list: 'statements', speaker: 'person:ann' }, ['statement:s1', 'statement:s3']],
        ['statements about an entity', { list: 'statements', about: 'actor:zeta' }, ['statement:s1', 'statement:s2']],
        ['statements about or at an event', { list: 'statements', event: 'event:y2022' }, ['statement:s1', 'statement:s3']],
        ['statements made at an event', { list: 'statements', event: 'event:d2022-03-15' }, ['statement:s1']],
        ['statements of a kind', { list: 'statements', kind: 'ASSERTION' }, ['statement:s2', 'statement:s10']],
        ['statements by attribution', { list: 'statements', attribution: 'REPORTED' }, ['statement:s2', 'statement:s3']],
        ['statements of a document', { list: 'statements', document: 'document:b' }, ['statement:s3']],
        ['statements, filters combined', { list: 'statements', speaker: 'person:ann', kind: 'REQUEST' }, ['statement:s3']],
        // Ids in code point order: "-" < "B" < "_" < "a" (a linguistic collation gives another order).
        ['relationships by id', { list: 'relationships' }, ['relationship:-y', 'relationship:B', 'relationship:_x', 'relationship:a']],
        ['relationships at either end, a self-loop once', { list: 'relationships', entity: 'actor:state' }, ['relationship:-y', 'relationship:B', 'relationship:_x', 'relationship:a']],
        ['relationships outgoing', { list: 'relationships', entity: 'actor:state', direction: 'OUTGOING' }, ['relationship:B', 'relationship:a']],
        ['relationships incoming', { list: 'relationships', entity: 'actor:state', direction: 'INCOMING' }, ['relationship:-y', 'relationship:_x', 'relationship:a']],
        ['relationships of a type', { list: 'relationships', type: 'LEADS' }, ['relationship:_x']],
        ['mentions in document order', { list: 'mentions' }, ['mention:ann', 'mention:zeta-first', 'mention:zeta-last', 'mention:zeta-b']],
        ['mentions of an entity', { list: 'mentions', entity: 'actor:zeta' }, ['mention:zeta-first', 'mention:zeta-last', 'mention:zeta-b']],
        ['mentions in a document', { list: 'mentions', document: 'document:b' }, ['mention:zeta-b']],
        ['documents by id', { list: 'documents' }, ['document:A', 'document:b']],
      ])('lists %s, counts them, and pages through them', async (_name, query, expected) => {
        const page = await store.listPage(query, all());
        expect(page.rows.map((r) => (r as { id: string }).id)).toEqual(expected);
        expect(page.hasNextPage).toBe(false);
        expect(page.positions.map((p) => p.id)).toEqual(expected);
        expect(await store.listCount(query)).toBe(expected.length);
        // Page by page, two at a time: the same rows, each once.
        expect(await walk(store, query, 2)).toEqual(expected);
        const empty = await store.listPage(query, all(0));
        expect(empty.rows).toEqual([]);
        expect(empty.hasNextPage).toBe(expected.length > 0);
      });

      it('pages after a position that is not a row (a deleted one) without skipping', async () => {
        const page = await store.listPage({ list: 'relationships' }, all(10, { sortKey: 'relationship:C', id: 'relationship:C' }));
        expect(page.rows.map((r) => r.id)).toEqual(['relationship:_x', 'relationship:a']);
      });

      it('answers nested lists for many owners in one call, each owner paged on its own', async () => {
        expect(await owned(store, { list: 'events' }, 'participant', ['actor:zeta', 'person:ann', 'place:oslo', 'actor:nobody'], 1)).toEqual({
          'actor:zeta': { ids: ['event:y2022'], more: true },
          'person:ann': { ids: ['event:m2022-03'], more: true },
          'place:oslo': { ids: ['event:y2022'], more: false },
          'actor:nobody': { ids: [], more: false },
        });
        expect(await owned(store, { list: 'statements' }, 'speaker', ['person:ann', 'actor:state'])).toEqual({
          'person:ann': { ids: ['statement:s1', 'statement:s3'], more: false },
          'actor:state': { ids: ['statement:s2', 'statement:s10'], more: false },
        });
        expect(await owned(store, { list: 'statements', kind: 'ASSERTION' }, 'speaker', ['person:ann', 'actor:state'])).toEqual({
          'person:ann': { ids: [], more: false },
          'actor:state': { ids: ['statement:s2', 'statement:s10'], more: false },
        });
        expect(await owned(store, { list: 'statements' }, 'about', ['actor:zeta', 'event:y2022', 'event:m2022-03'])).toEqual({
          'actor:zeta': { ids: ['statement:s1', 'statement:s2'], more: false },
          'event:y2022': { ids: ['statement:s1', 'statement:s3'], more: false },
          'event:m2022-03': { ids: ['statement:s3'], more: false },
        });
        // s3 is about y2022 and was made at it: listed once.
        expect(await owned(store, { list: 'statements' }, 'event', ['event:y2022', 'event:d2022-03-15', 'event:m2022-03'])).toEqual({
          'event:y2022': { ids: ['statement:s1', 'statement:s3'], more: false },
          'event:d2022-03-15': { ids: ['statement:s1'], more: false },
          'event:m2022-03': { ids: ['statement:s3'], more: false },
        });
        expect(await owned(store, { list: 'relationships' }, 'entity', ['actor:state', 'actor:zeta'])).toEqual({
          'actor:state': { ids: ['relationship:-y', 'relationship:B', 'relationship:_x', 'relationship:a'], more: false },
          'actor:zeta': { ids: ['relationship:-y'], more: false },
        });
        expect(await owned(store, { list: 'relationships', direction: 'INCOMING' }, 'entity', ['actor:state', 'actor:zeta'])).toEqual({
          'actor:state': { ids: ['relationship:-y', 'relationship:_x', 'relationship:a'], more: false },
          'actor:zeta': { ids: [], more: false },
        });
        expect(await owned(store, { list: 'mentions' }, 'entity', ['actor:zeta', 'person:ann'])).toEqual({
          'actor:zeta': { ids: ['mention:zeta-first', 'mention:zeta-last', 'mention:zeta-b'], more: false },
          'person:ann': { ids: ['mention:ann'], more: false },
        });
        expect(await owned(store, { list: 'mentions' }, 'document', ['document:b', 'document:A'], 2)).toEqual({
          'document:b': { ids: ['mention:zeta-b'], more: false },
          'document:A': { ids: ['mention:ann', 'mention:zeta-first'], more: true },
        });
      });

      it('pages a nested list after a cursor, for every owner', async () => {
        const first = await store.listPagesByOwner({ list: 'events' }, 'participant', ['actor:zeta'], all(1));
        const after = first.get('actor:zeta')!.positions[0]!;
        const next = await store.listPagesByOwner({ list: 'events' }, 'participant', ['actor:zeta', 'person:ann'], all(5, after));
        expect(next.get('actor:zeta')!.rows.map((r) => r.id)).toEqual(['event:m2022-03']);
        // The cursor applies to every owner: both of Ann's events sort after y2022 (which starts on 2022-01-01).
        expect(next.get('person:ann')!.rows.map((r) => r.id)).toEqual(['event:m2022-03', 'event:d2022-03-15']);
      });

      it('counts nested lists per owner, zero for owners without rows', async () => {
        const counts = await store.listCountsByOwner({ list: 'events' }, 'participant', ['actor:zeta', 'person:ann', 'place:oslo', 'actor:nobody']);
        expect(Object.fromEntries(counts)).toEqual({ 'actor:zeta': 2, 'person:ann': 2, 'place:oslo': 1, 'actor:nobody': 0 });
        const rel = await store.listCountsByOwner({ list: 'relationships' }, 'entity', ['actor:state', 'actor:zeta', 'person:ann']);
        expect(Object.fromEntries(rel)).toEqual({ 'actor:state': 4, 'actor:zeta': 1, 'person:ann': 1 });
        const about = await store.listCountsByOwner({ list: 'statements' }, 'event', ['event:y2022', 'event:undated']);
        expect(Object.fromEntries(about)).toEqual({ 'event:y2022': 2, 'event:undated': 0 });
      });

      it('refuses to batch a list by an owner it does not have (a bug of ours, not a client error)', async () => {
        await expect(store.listPagesByOwner({ list: 'documents' }, 'entity', ['x'], all())).rejects.toThrow(/cannot be batched/);
      });

      it('counts the statements it runs', async () => {
        const before = store.statementCount;
        await store.entitiesByIds(['actor:zeta']);
        await store.listPage({ list: 'entities' }, all());
        expect(store.statementCount - before).toBe(2);
      });
    });

    describe('writes', () => {
      it('replaces the whole graph: nothing of the previous one is left', async () => {
        const { store } = await open();
        await store.replaceGraph(fixtureGraph(), 'one');
        const smaller = fixtureGraph();
        smaller.entities = smaller.entities.filter((e) => e.id === 'place:oslo');
        smaller.aliases = smaller.aliases.filter((a) => a.entityId === 'place:oslo');
        smaller.relationships = [];
        smaller.mentions = [];
        await store.replaceGraph(smaller, 'two');
        expect(await store.seedFingerprint()).toBe('two');
        expect(await store.graphVersion()).toBe(2);
        expect((await store.listPage({ list: 'entities' }, all())).rows.map((r) => r.id)).toEqual(['place:oslo']);
        expect(await store.listCount({ list: 'relationships' })).toBe(0);
        expect(await store.aliasesByNorms(['zeta force'])).toEqual([]);
        expect((await store.entitiesByIds(['place:oslo']))[0]!.mentionCount).toBe(0);
      });

      it('leaves the previous graph in place when a write fails, and reports no change for it', async () => {
        const { store } = await open();
        await store.replaceGraph(fixtureGraph(), 'good');
        const { change, stop } = await nextChange(store);
        const broken = fixtureGraph();
        broken.documents[0]!.title = 'a new title';
        broken.entities.push({ ...broken.entities[0]! }); // a duplicate id: the insert fails part-way
        await expect(store.replaceGraph(broken, 'broken')).rejects.toThrow();
        expect(await store.seedFingerprint()).toBe('good');
        expect(await store.graphVersion()).toBe(1);
        expect(await store.listCount({ list: 'entities' })).toBe(5);
        expect((await store.documentsByIds(['document:b']))[0]!.title).toBe('Document b');
        // The first change reported is the next successful write, not the failed one.
        await store.replaceGraph(fixtureGraph(), 'good again');
        expect(await change).toEqual({ version: 2 });
        stop();
      });

      it('writes and reads a graph larger than one statement holds', async () => {
        const { store } = await open();
        const data: GraphData = { ...fixtureGraph(), aliases: [], mentions: [] };
        data.entities = Array.from({ length: 12_000 }, (_, i) => ({
          id: `actor:n${String(i).padStart(5, '0')}`,
          type: 'ACTOR' as const,
          kind: 'STATE',
          name: `Entity ${i}`,
          title: null,
          description: `Entity number ${i}, with 'quotes', "double quotes", {braces}, a back\\slash and a comma,`,
        }));
        await store.replaceGraph(data, 'large');
        expect(await store.listCount({ list: 'entities' })).toBe(12_000);
        // More keys than either backend binds in one statement.
        const ids = Array.from({ length: 12_500 }, (_, i) => `actor:n${String(i).padStart(5, '0')}`);
        const rows = await store.entitiesByIds(ids);
        expect(rows).toHaveLength(12_000);
        expect(rows.find((r) => r.id === 'actor:n11999')!.description).toBe(
          `Entity number 11999, with 'quotes', "double quotes", {braces}, a back\\slash and a comma,`,
        );
        const counts = await store.listCountsByOwner({ list: 'relationships' }, 'entity', ids);
        expect(counts.size).toBe(12_500);
      });
    });

    describe('graph change notices', () => {
      it('reports its own writes at once, with the new version', async () => {
        const { store } = await open();
        const seen: number[] = [];
        const stop = await store.onGraphChanged(({ version }) => seen.push(version));
        await store.replaceGraph(fixtureGraph(), 'a');
        await store.replaceGraph(fixtureGraph(), 'b');
        expect(seen).toEqual([1, 2]);
        stop();
        await store.replaceGraph(fixtureGraph(), 'c');
        expect(seen).toEqual([1, 2]);
      });

      it('reports writes made through another connection to the same database', async () => {
        const { store: watcher, db } = await open();
        const { store: writer } = await open(db);
        const { change, stop } = await nextChange(watcher);
        await writer.replaceGraph(fixtureGraph(), 'from the other one');
        expect(await change).toEqual({ version: 1 });
        stop();
        expect(await watcher.seedFingerprint()).toBe('from the other one');
      });

      it('clears a GraphCache when another connection changes the graph', async () => {
        const { store: reader, db } = await open();
        const { store: writer } = await open(db);
        await writer.replaceGraph(fixtureGraph(), 'v1');
        const cache = await GraphCache.open(reader);
        expect(cache.version).toBe(1);
        let computed = 0;
        const count = () => cache.memo('entities', async () => (computed++, reader.listCount({ list: 'entities' })));
        expect(await count()).toBe(5);
        expect(await count()).toBe(5);
        expect(computed).toBe(1);
        const invalidated = new Promise<number>((resolve) => cache.onInvalidate(({ version }) => resolve(version)));
        const smaller = fixtureGraph();
        smaller.entities = smaller.entities.slice(0, 2);
        await writer.replaceGraph(smaller, 'v2');
        expect(await invalidated).toBe(2);
        expect(cache.version).toBe(2);
        expect(cache.size).toBe(0);
        expect(await count()).toBe(2);
        expect(computed).toBe(2);
        cache.close();
      });
    });

    describe('migrations', () => {
      it('migrates an empty database once, even when several stores open it at the same moment', async () => {
        const db = await backend.createDatabase();
        const stores = await Promise.all([0, 1, 2].map(() => open(db)));
        await stores[0]!.store.replaceGraph(fixtureGraph(), 'x');
        expect(await stores[2]!.store.listCount({ list: 'entities' })).toBe(5);
        for (const { store } of stores) await store.close();
        // Opening again finds the schema current and the graph kept.
        const again = await open(db);
        expect(await again.store.seedFingerprint()).toBe('x');
        await again.store.close();
        await db.drop();
      });

      it('refuses a database whose schema is newer than the code, saying so', async () => {
        const { store, db } = await open();
        await store.close();
        await backend.forceSchemaVersion(db.url, 999);
        const error = await openStore(db.url).then(
          () => null,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(SchemaTooNewError);
        expect((error as Error).message).toMatch(/schema version 999 is newer than this code knows/);
      });
    });
  });
}
