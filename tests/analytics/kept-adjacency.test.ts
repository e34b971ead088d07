/**
 * The kept adjacency (`entity_adjacency`, kept-adjacency-sql.ts) against brute
 * force, on every backend: after the seed build, ingest, curation (add and
 * correct a statement, confirm, merge, reject), delete, a rebuild and a
 * synthetic graph written whole, its rows equal the rows worked out here in
 * plain TypeScript from the link tables' raw rows, each with the rank of its
 * other end computed here from its mention count; so they do after raw writes
 * of every kind to every link table (each trigger), entity deletes and mention
 * counts changing rank. The SQLite bulk load
 * (which drops the triggers) rebuilds it the same way.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildGraph } from '../../src/build/build-graph.js';
import { generateGraph } from '../../src/generate/synthetic-graph.js';
import type { GraphData } from '../../src/store/types.js';
import { BACKENDS, backendTitle } from '../helpers/backends.js';
import { withBulkLoadedGraph } from '../helpers/bulk-graph.js';
import { openRawSql, type Read, type Rows } from '../helpers/raw-sql.js';
import { createSeedFixture, removeSeedFixture } from '../helpers/seed-fixture.js';
import { AUTH, SEEDS_DIR, startTestServer, type TestServer } from '../helpers/test-server.js';

const FIXTURE = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'bamako-talks.md'), 'utf8');
const SEED_DOCUMENT = 'document:mali-asks-un-to-end-peacekeeping-mission';


/** The documented rank: 0 for no mention, r for 2^(r-1) ≤ m < 2^r, at most 24; by repeated halving, not by the code under test. */
function rank(mentions: number): number {
  let r = 0;
  for (let m = mentions; m >= 1 && r < 24; m = Math.floor(m / 2)) r++;
  return r;
}

/** Every row the kept adjacency should hold, from the raw rows of the link tables. */
async function bruteForceRows(read: Read): Promise<string[]> {
  // Ranked by the mention count kept on the entity row (tests/store/entity-counts.test.ts checks it against the mention rows).
  const mentions = new Map((await read('SELECT id, mention_count FROM entities')).map((r) => [String(r.id), Number(r.mention_count)]));
  const rankOf = (id: string): number => rank(mentions.get(id) ?? 0);
  const out = new Set<string>();
  const add = (from: string, to: string, type: string, link: string, outgoing: number, label: string): void => {
    if (from !== to) out.add([from, rankOf(to), to, type, link, outgoing, label].join('|'));
  };
  for (const r of await read('SELECT id, type, source_id, target_id FROM relationships')) {
    add(String(r.source_id), String(r.target_id), 'RELATIONSHIP', String(r.id), 1, String(r.type));
    add(String(r.target_id), String(r.source_id), 'RELATIONSHIP', String(r.id), 0, String(r.type));
  }
  const statements = new Map((await read('SELECT id, kind, speaker_id FROM statements')).map((r) => [String(r.id), r]));
  for (const r of await read('SELECT statement_id, subject_id FROM statement_subjects')) {
    const s = statements.get(String(r.statement_id));
    // A quote whose speaker the text does not make clear links no one.
    if (!s || s.speaker_id === null) continue;
    add(String(s.speaker_id), String(r.subject_id), 'STATEMENT', String(s.id), 1, String(s.kind));
    add(String(r.subject_id), String(s.speaker_id), 'STATEMENT', String(s.id), 0, String(s.kind));
  }
  const events = new Map((await read('SELECT id, kind FROM events')).map((r) => [String(r.id), String(r.kind)]));
  const byEvent = new Map<string, string[]>();
  for (const r of await read('SELECT event_id, entity_id FROM event_participants')) {
    byEvent.set(String(r.event_id), [...(byEvent.get(String(r.event_id)) ?? []), String(r.entity_id)]);
  }
  for (const [event, members] of byEvent) {
    if (!events.has(event)) continue;
    for (const a of members) for (const b of members) add(a, b, 'EVENT', event, 1, events.get(event)!);
  }
  return [...out].sort();
}

/** The kept rows, as stored. */
async function keptRows(read: Read): Promise<string[]> {
  const rows = await read('SELECT entity_id, rank, neighbour_id, link_type, link_id, outgoing, label FROM entity_adjacency');
  return rows.map((r) => [r.entity_id, Number(r.rank), r.neighbour_id, r.link_type, r.link_id, Number(r.outgoing), r.label].join('|')).sort();
}

/** Expect the kept rows to be the brute-force ones; returns how many there are. */
async function expectKeptAdjacencyRight(read: Read): Promise<number> {
  const want = await bruteForceRows(read);
  expect(await keptRows(read)).toEqual(want);
  return want.length;
}

function syntheticGraph(entities: number): GraphData {
  const batches = [...generateGraph({ entities, seed: 11, batchDocuments: 1_000_000 })];
  expect(batches).toHaveLength(1);
  return batches[0]!;
}

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(backendTitle(backend, 'kept adjacency'), () => {
    let server: TestServer;
    let read: Read;
    let write: (sql: string) => Promise<void>;
    let close: () => Promise<void>;
    let fixture: string;
    beforeAll(async () => {
      server = await startTestServer({ backend: backend.name, env: { RESPONSE_CACHE_BYTES: '0' } });
      fixture = createSeedFixture();
      ({ read, write, close } = await openRawSql(server, backend.name));
    }, 60_000);
    afterAll(async () => {
      await close?.();
      await server?.stop();
      if (fixture) removeSeedFixture(fixture);
    });

    const gql = async (query: string, variables?: Record<string, unknown>): Promise<any> => {
      const result = await server.gql(query, variables, AUTH);
      expect(result.errors).toBeUndefined();
      return result.data;
    };

    it('follows the seed build, ingest, curation and delete', async () => {
      expect(await expectKeptAdjacencyRight(read)).toBeGreaterThan(20);
      const ingested = await gql('mutation ($t: NonEmptyString!) { ingestDocument(input: { text: $t }) { document { id } } }', { t: FIXTURE });
      const docId: string = ingested.ingestDocument.document.id;
      await expectKeptAdjacencyRight(read);
      const added = await gql(
        `mutation ($doc: ID!) { addStatement(input: { document: $doc, kind: ASSERTION, attribution: REPORTED, speaker: "actor:mali",
          about: ["actor:minusma", "actor:un"], evidence: [{ quote: "has asked the UN to remove its peacekeeping forces" }] }) { id } }`,
        { doc: SEED_DOCUMENT },
      );
      await expectKeptAdjacencyRight(read);
      await gql(`mutation ($id: ID!) { correctStatement(id: $id, input: { about: ["actor:un", "actor:russia"] }) { id } }`, { id: added.addStatement.id });
      await expectKeptAdjacencyRight(read);
      const automatic = (await gql('{ entities(method: AUTOMATIC, first: 50) { nodes { id } } }')).entities.nodes as { id: string }[];
      expect(automatic.length).toBeGreaterThan(2);
      await gql('mutation ($id: ID!) { confirmEntity(id: $id) { id } }', { id: automatic[0]!.id });
      await gql('mutation ($from: ID!, $into: ID!) { mergeEntities(from: $from, into: $into) { entity { id } } }', { from: automatic[1]!.id, into: 'actor:minusma' });
      await gql('mutation ($id: ID!) { rejectEntity(id: $id) { id } }', { id: automatic.at(-1)!.id });
      await expectKeptAdjacencyRight(read);
      await gql('mutation ($id: ID!) { deleteDocument(id: $id) { entitiesRemoved } }', { id: docId });
      await expectKeptAdjacencyRight(read);
    }, 60_000);

    it('follows a rebuild with other seeds and back', async () => {
      await buildGraph(server.store, fixture, { force: true });
      await expectKeptAdjacencyRight(read);
      await buildGraph(server.store, SEEDS_DIR, { force: true });
      await expectKeptAdjacencyRight(read);
    }, 60_000);

    it('follows a synthetic graph written whole, with hubs of many ranks, and its entities changing rank', async () => {
      await server.store.replaceGraph(syntheticGraph(400), 'synthetic-400');
      expect(await expectKeptAdjacencyRight(read)).toBeGreaterThan(2000);
      const ranks = new Set((await read('SELECT DISTINCT rank FROM entity_adjacency')).map((r) => Number(r.rank)));
      expect(ranks.size).toBeGreaterThan(5);
      // Raw writes, one kind at a time, each checked: every trigger, and entities changing rank.
      const ids = async (sql: string): Promise<string[]> => (await read(sql)).map((r) => String(Object.values(r)[0]));
      const entities = await ids('SELECT id FROM entities ORDER BY mention_count DESC, id');
      const [hub, other, third] = [entities[0]!, entities[1]!, entities[entities.length - 1]!];
      const inList = (list: readonly string[]): string => list.map((id) => `'${id}'`).join(', ');
      const relationships = await ids('SELECT id FROM relationships ORDER BY id');
      const statements = await ids('SELECT id FROM statements ORDER BY id');
      const events = await ids('SELECT id FROM events ORDER BY id');
      const participants = await ids('SELECT id FROM event_participants ORDER BY id');
      const every = (list: string[], n: number, from = 0): string[] => list.filter((_, i) => i % n === from);
      const writes = [
        `DELETE FROM relationships WHERE id IN (${inList(every(relationships, 9))})`,
        `UPDATE relationships SET target_id = '${hub}' WHERE id IN (${inList(every(relationships, 9, 1))})`,
        `UPDATE relationships SET type = 'OPPOSES' WHERE id IN (${inList(every(relationships, 9, 2))})`,
        `DELETE FROM statements WHERE id IN (${inList(every(statements, 8))})`,
        `UPDATE statements SET speaker_id = '${other}' WHERE id IN (${inList(every(statements, 8, 1))})`,
        `UPDATE statements SET kind = 'DENIAL' WHERE id IN (${inList(every(statements, 8, 2))})`,
        `DELETE FROM statement_subjects WHERE statement_id IN (${inList(every(statements, 8, 3))})`,
        `UPDATE statement_subjects SET subject_id = '${third}' WHERE statement_id IN (${inList(every(statements, 8, 4))})`,
        `DELETE FROM event_participants WHERE id IN (${inList(every(participants, 6))})`,
        `UPDATE event_participants SET entity_id = '${hub}' WHERE id IN (${inList(every(participants, 6, 1))})`,
        `DELETE FROM events WHERE id IN (${inList(every(events, 5))})`,
        `UPDATE events SET kind = 'PROTEST' WHERE id IN (${inList(every(events, 5, 1))})`,
        `UPDATE entities SET mention_count = mention_count * 4 + 1 WHERE id IN (${inList(every(entities, 3))})`,
        `UPDATE entities SET mention_count = 0 WHERE id IN (${inList([hub, ...every(entities, 3, 1)])})`,
        `DELETE FROM entities WHERE id IN (${inList([other, ...every(entities, 10, 2)])})`,
      ];
      for (const sql of writes) {
        await write(sql);
        await expectKeptAdjacencyRight(read);
      }
    }, 120_000);
  });
}

describe('the SQLite bulk load', () => {
  it('rebuilds the kept adjacency after loading without triggers', async () => {
    await withBulkLoadedGraph(async (db) => {
      expect(await expectKeptAdjacencyRight(async (sql) => db.prepare(sql).all() as Rows)).toBeGreaterThan(5000);
    });
  });
});
