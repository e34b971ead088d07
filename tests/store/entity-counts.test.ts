/**
 * Differential tests of the kept per-entity counts (degree, mentions,
 * statements about an entity, its events: entity-counts-sql.ts) and of the
 * timeline, on every backend: after the seed build, ingest, curation
 * (confirm, add and correct a statement, merge, reject), delete, a rebuild and
 * a synthetic graph written by `replaceGraph`, the kept counts equal counts
 * made here in plain TypeScript from the link tables' rows, and the API's
 * nested `totalCount`s and empty pages answer from them; timeline buckets and
 * their events equal a grouping of the events' rows done here, and so do the
 * kept event counts per period. The SQLite bulk load (which drops the
 * triggers) recounts the same way.
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


interface Counts {
  degree: number;
  mentions: number;
  statementsAbout: number;
  events: number;
}

/** Every entity's counts, from the raw rows of the link tables (not from SQL counting). */
async function bruteForceCounts(read: Read): Promise<Map<string, Counts>> {
  const out = new Map<string, Counts>();
  for (const r of await read('SELECT id FROM entities')) out.set(String(r.id), { degree: 0, mentions: 0, statementsAbout: 0, events: 0 });
  const bump = (id: unknown, key: keyof Counts): void => {
    const c = out.get(String(id));
    if (c) c[key]++;
  };
  for (const r of await read('SELECT source_id, target_id FROM relationships')) {
    bump(r.source_id, 'degree');
    if (r.target_id !== r.source_id) bump(r.target_id, 'degree');
  }
  for (const r of await read('SELECT entity_id FROM mentions')) bump(r.entity_id, 'mentions');
  const statements = new Set((await read('SELECT id FROM statements')).map((r) => String(r.id)));
  const about = new Set<string>();
  for (const r of await read('SELECT statement_id, subject_id FROM statement_subjects')) {
    if (statements.has(String(r.statement_id))) about.add(JSON.stringify([r.subject_id, r.statement_id]));
  }
  for (const pair of about) bump(JSON.parse(pair)[0], 'statementsAbout');
  const events = new Set((await read('SELECT id FROM events')).map((r) => String(r.id)));
  const takesPart = new Set<string>();
  for (const r of await read('SELECT event_id, entity_id FROM event_participants')) {
    if (events.has(String(r.event_id))) takesPart.add(JSON.stringify([r.entity_id, r.event_id]));
  }
  for (const pair of takesPart) bump(JSON.parse(pair)[0], 'events');
  return out;
}

/** The kept counts of every entity, as stored. */
async function keptCounts(read: Read): Promise<Map<string, Counts>> {
  const rows = await read('SELECT id, degree, mention_count, statements_about_count, event_count FROM entities');
  return new Map(
    rows.map((r) => [
      String(r.id),
      { degree: Number(r.degree), mentions: Number(r.mention_count), statementsAbout: Number(r.statements_about_count), events: Number(r.event_count) },
    ]),
  );
}

/** The kept counts (entities' and events' per period) equal counts made here from the rows; returns the entities'. */
async function expectKeptCountsRight(read: Read): Promise<Map<string, Counts>> {
  const want = await bruteForceCounts(read);
  expect(Object.fromEntries(await keptCounts(read))).toEqual(Object.fromEntries(want));
  // Dated events per (year, month, precision, inferred), month 0 and precision '' for none.
  const periods = new Map<string, number>();
  for (const e of await eventFacts(read)) {
    if (e.year === null) continue;
    const key = JSON.stringify([e.year, e.month ?? 0, e.precision ?? '', e.inferred ? 1 : 0]);
    periods.set(key, (periods.get(key) ?? 0) + 1);
  }
  const kept = new Map(
    (await read('SELECT year, month, precision, inferred, n FROM event_period_counts WHERE n <> 0')).map((r) => [
      JSON.stringify([Number(r.year), Number(r.month), String(r.precision), Number(r.inferred)]),
      Number(r.n),
    ]),
  );
  expect(Object.fromEntries(kept)).toEqual(Object.fromEntries(periods));
  return want;
}

const NESTED = `query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Entity {
  relationships(first: 0) { totalCount pageInfo { hasNextPage } }
  statementsAbout(first: 0) { totalCount pageInfo { hasNextPage } }
  mentions(first: 0) { totalCount pageInfo { hasNextPage } }
  events(first: 0) { totalCount pageInfo { hasNextPage } }
  someAbout: statementsAbout(first: 100) { nodes { id } }
  someEvents: events(first: 100) { nodes { id } }
} } }`;

/** The API's nested totalCounts and empty first pages of these entities agree with the counts. */
async function expectApiCounts(server: TestServer, want: Map<string, Counts>, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 10) {
    const chunk = ids.slice(i, i + 10);
    const data = await server.data(NESTED, { ids: chunk });
    for (const node of data.nodes) {
      const c = want.get(node.id)!;
      const page = (n: number) => ({ totalCount: n, pageInfo: { hasNextPage: n > 0 } });
      expect({ id: node.id, r: node.relationships, s: node.statementsAbout, m: node.mentions, e: node.events }).toEqual({
        id: node.id,
        r: page(c.degree),
        s: page(c.statementsAbout),
        m: page(c.mentions),
        e: page(c.events),
      });
      // The pages themselves (generic plans) hold as many rows, when they fit in one.
      if (c.statementsAbout <= 100) expect(node.someAbout.nodes.length).toBe(c.statementsAbout);
      if (c.events <= 100) expect(node.someEvents.nodes.length).toBe(c.events);
    }
  }
}

/** Code-unit order of (sort_key, id), as the lists sort. */
const byListOrder = (a: { sortKey: string; id: string }, b: { sortKey: string; id: string }): number =>
  Buffer.compare(Buffer.from(a.sortKey), Buffer.from(b.sortKey)) || Buffer.compare(Buffer.from(a.id), Buffer.from(b.id));

interface EventFacts {
  id: string;
  sortKey: string;
  year: number | null;
  month: number | null;
  precision: string | null;
  inferred: boolean;
  earliest: string | null;
  latest: string | null;
}

async function eventFacts(read: Read): Promise<EventFacts[]> {
  return (await read('SELECT id, sort_key, year, month, precision, date_inferred, earliest, latest FROM events')).map((r) => ({
    id: String(r.id),
    sortKey: String(r.sort_key),
    year: r.year === null ? null : Number(r.year),
    month: r.month === null ? null : Number(r.month),
    precision: r.precision === null ? null : String(r.precision),
    inferred: Boolean(Number(r.date_inferred)),
    earliest: r.earliest === null ? null : String(r.earliest),
    latest: r.latest === null ? null : String(r.latest),
  }));
}

/** The event's dates overlap the period (an undated event overlaps no bounded period). */
const overlaps = (e: EventFacts, from: string | null, to: string | null): boolean =>
  (from === null || (e.latest !== null && e.latest >= from)) && (to === null || (e.earliest !== null && e.earliest <= to));

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Timeline buckets grouped here: events overlapping the period, by year, or by month with year-only dates apart. */
function bruteForceTimeline(events: EventFacts[], granularity: 'YEAR' | 'MONTH', from: string | null, to: string | null) {
  const inPeriod = events.filter((e) => e.year !== null && overlaps(e, from, to));
  const buckets = new Map<string, { year: number; month: number | null; events: EventFacts[] }>();
  for (const e of inPeriod) {
    const month = granularity === 'MONTH' && e.precision !== 'YEAR' ? e.month : null;
    const key = `${pad(e.year!, 4)}-${month === null ? '00' : pad(month)}`;
    let b = buckets.get(key);
    if (!b) buckets.set(key, (b = { year: e.year!, month, events: [] }));
    b.events.push(e);
  }
  return [...buckets.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, b]) => {
      const sorted = [...b.events].sort(byListOrder);
      return {
        label: b.month !== null ? `${pad(b.year, 4)}-${pad(b.month)}` : granularity === 'MONTH' ? `${pad(b.year, 4)} (year only)` : pad(b.year, 4),
        yearOnly: granularity === 'MONTH' && b.month === null,
        count: b.events.length,
        inferredCount: b.events.filter((e) => e.inferred).length,
        events: { totalCount: b.events.length, nodes: sorted.slice(0, 3).map((e) => ({ id: e.id })) },
      };
    });
}

const TIMELINE = `query ($g: TimeGranularity!, $from: LocalDate, $to: LocalDate) {
  timeline(granularity: $g, from: $from, to: $to) { label yearOnly count inferredCount events(first: 3) { totalCount nodes { id } } }
}`;
const EVENTS = `query ($from: LocalDate, $to: LocalDate, $after: String) {
  events(from: $from, to: $to, first: 7, after: $after) { totalCount nodes { id } pageInfo { hasNextPage endCursor } }
}`;

/** Timelines and events in periods through the API, against the grouping done here. */
async function expectTimelines(server: TestServer, read: Read, periods: readonly (readonly [string | null, string | null])[]): Promise<number> {
  const events = await eventFacts(read);
  let buckets = 0;
  for (const [from, to] of periods) {
    for (const g of ['YEAR', 'MONTH'] as const) {
      const want = bruteForceTimeline(events, g, from, to);
      const got = (await server.data(TIMELINE, { g, from, to })).timeline;
      expect(got, `${g} ${from}..${to}`).toEqual(want);
      buckets += want.length;
    }
    // Events in the period, every page, in list order.
    const inPeriod = events
      .filter((e) => overlaps(e, from, to))
      .sort(byListOrder)
      .map((e) => e.id);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = (await server.data(EVENTS, { from, to, after })).events;
      expect(page.totalCount).toBe(inPeriod.length);
      seen.push(...page.nodes.map((n: { id: string }) => n.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen, `events ${from}..${to}`).toEqual(inPeriod);
  }
  return buckets;
}

/** One GraphData from the generator's batches. */
function syntheticGraph(entities: number): GraphData {
  const batches = [...generateGraph({ entities, seed: 7, batchDocuments: 1_000_000 })];
  expect(batches).toHaveLength(1);
  return batches[0]!;
}

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(backendTitle(backend, 'kept entity counts and timeline buckets'), () => {
    let server: TestServer;
    let read: Read;
    let close: () => Promise<void>;
    let fixture: string;
    beforeAll(async () => {
      server = await startTestServer({ backend: backend.name, env: { RESPONSE_CACHE_BYTES: '0' } });
      fixture = createSeedFixture();
      ({ read, close } = await openRawSql(server, backend.name));
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
    const allEntityIds = async (): Promise<string[]> => (await read('SELECT id FROM entities ORDER BY id')).map((r) => String(r.id));

    it('after the seed build, the counts are right and answer the nested totalCounts', async () => {
      const want = await expectKeptCountsRight(read);
      // The seed article: MINUSMA is a subject of statements and takes part in events.
      expect(want.get('actor:minusma')!.statementsAbout).toBeGreaterThan(0);
      expect(want.get('actor:minusma')!.events).toBeGreaterThan(0);
      await expectApiCounts(server, want, await allEntityIds());
    });

    it('follow ingest, curation and delete', async () => {
      const ingested = await gql('mutation ($t: NonEmptyString!) { ingestDocument(input: { text: $t }) { document { id } } }', { t: FIXTURE });
      const docId: string = ingested.ingestDocument.document.id;
      await expectKeptCountsRight(read);

      const added = await gql(
        `mutation ($doc: ID!) { addStatement(input: { document: $doc, kind: ASSERTION, attribution: REPORTED, speaker: "actor:mali",
          about: ["actor:minusma", "actor:un"], evidence: [{ quote: "has asked the UN to remove its peacekeeping forces" }] }) { id } }`,
        { doc: SEED_DOCUMENT },
      );
      let want = await expectKeptCountsRight(read);
      await gql(`mutation ($id: ID!) { correctStatement(id: $id, input: { about: ["actor:un", "actor:russia"] }) { id } }`, { id: added.addStatement.id });
      want = await expectKeptCountsRight(read);
      await expectApiCounts(server, want, ['actor:minusma', 'actor:un', 'actor:russia', 'actor:mali']);

      const automatic = (await gql('{ entities(method: AUTOMATIC, first: 50) { nodes { id } } }')).entities.nodes as { id: string }[];
      expect(automatic.length).toBeGreaterThan(2);
      await gql('mutation ($id: ID!) { confirmEntity(id: $id) { id } }', { id: automatic[0]!.id });
      await gql('mutation ($from: ID!, $into: ID!) { mergeEntities(from: $from, into: $into) { entity { id } } }', { from: automatic[1]!.id, into: 'actor:minusma' });
      await gql('mutation ($id: ID!) { rejectEntity(id: $id) { id } }', { id: automatic.at(-1)!.id });
      want = await expectKeptCountsRight(read);
      await expectApiCounts(server, want, await allEntityIds());

      await gql('mutation ($id: ID!) { deleteDocument(id: $id) { entitiesRemoved } }', { id: docId });
      want = await expectKeptCountsRight(read);
      await expectApiCounts(server, want, await allEntityIds());
    }, 60_000);

    it('follow a rebuild with other seeds and back, and the timeline groups the seed events', async () => {
      await buildGraph(server.store, fixture, { force: true });
      await expectKeptCountsRight(read);
      await buildGraph(server.store, SEEDS_DIR, { force: true });
      const want = await expectKeptCountsRight(read);
      await expectApiCounts(server, want, await allEntityIds());
      expect(await expectTimelines(server, read, [[null, null], ['2013-01-01', '2023-12-31'], ['2023-06-15', '2023-07-10']])).toBeGreaterThan(3);
    }, 60_000);

    it('follow a synthetic graph written whole, and its timelines equal a grouping of its events', async () => {
      await server.store.replaceGraph(syntheticGraph(500), 'synthetic-500');
      const want = await expectKeptCountsRight(read);
      const hub = [...want].sort((a, b) => b[1].statementsAbout - a[1].statementsAbout)[0]!;
      expect(hub[1].statementsAbout).toBeGreaterThan(5);
      await expectApiCounts(server, want, [...want.keys()].filter((_, i) => i % 25 === 0).concat(hub[0]));
      const buckets = await expectTimelines(server, read, [
        [null, null],
        ['1995-01-01', '2000-12-31'],
        ['2010-03-15', '2010-11-02'],
        ['2013-01-01', '2013-12-31'],
        ['2020-02-29', null],
        [null, '1991-06-30'],
      ]);
      expect(buckets).toBeGreaterThan(50);
    }, 120_000);
  });
}

describe('the SQLite bulk load', () => {
  it('recounts the kept counts of every entity after loading without triggers', async () => {
    await withBulkLoadedGraph(async (db) => {
      const read: Read = async (sql) => db.prepare(sql).all() as Rows;
      const want = await expectKeptCountsRight(read);
      expect([...want.values()].some((c) => c.statementsAbout > 0 && c.events > 0)).toBe(true);
      expect((db.prepare('SELECT COUNT(*) AS n FROM dirty').get() as { n: number }).n).toBe(0);
      expect((db.prepare('SELECT COUNT(*) AS n FROM event_period_counts').get() as { n: number }).n).toBeGreaterThan(30);
    });
  });
});
