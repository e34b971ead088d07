/**
 * Search ranks a bounded candidate set (SEARCH_RANKED_LIMIT matches) and
 * counts every match: checked on a generated graph (5,000 entities, where a
 * common word like "accord" matches well over 1,000 subjects) against a
 * brute-force plan written here: every match with its rank from the
 * database's own ranking function, no limit, candidates and order worked out
 * in JavaScript.
 *
 * - At most 1,000 matches: the pages are exactly the full ranking (exact).
 * - More: the pages are exactly the first 1,000 matches in the documented
 *   candidate order (SQLite: index rowid; PostgreSQL: subject id), ranked,
 *   and paging ends there; `searchCount` counts every match.
 * Both for every page size tried and with type filters.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { emptyGraphData, generateGraph } from '../../src/generate/synthetic-graph.js';
import type { SearchQuery, SearchSubjectType } from '../../src/store/analyst-types.js';
import { openStore } from '../../src/store/open-store.js';
import type { ListPosition } from '../../src/store/lists.js';
import type { GraphStore } from '../../src/store/store.js';
import { ftsMatch } from '../../src/store/sqlite/sqlite-search.js';
import type { GraphData } from '../../src/store/types.js';
import { BACKENDS, backendTitle, type TestDatabase } from '../helpers/backends.js';

const LIMIT = 1000; // SEARCH_RANKED_LIMIT, as documented in the SDL
const ENTITIES = 5000;

function generated(): GraphData {
  const all = emptyGraphData() as unknown as Record<string, unknown[]>;
  for (const batch of generateGraph({ entities: ENTITIES, batchDocuments: 50 })) {
    for (const [key, rows] of Object.entries(batch as unknown as Record<string, unknown[]>)) all[key]!.push(...rows);
  }
  return all as unknown as GraphData;
}

/** A match as the brute-force plan sees it. */
interface Match {
  id: string;
  type: string;
  /** Position in the backend's candidate order. */
  order: string | number;
  rank: number;
}

/** Words (already folded) and how the brute-force plans write them. */
interface Case {
  title: string;
  terms: string[];
  match: 'ALL' | 'ANY';
  types: SearchSubjectType[] | null;
  /** What the case must exercise: more than LIMIT matches, or at most (null: either). */
  bounded: boolean | null;
}

const CASES: Case[] = [
  { title: 'a common word', terms: ['accord'], match: 'ALL', types: null, bounded: true },
  { title: 'a common word, statements only', terms: ['accord'], match: 'ALL', types: ['STATEMENT'], bounded: true },
  { title: 'a common word, events only', terms: ['accord'], match: 'ALL', types: ['EVENT'], bounded: false },
  { title: 'a prefix of several words', terms: ['withdr'], match: 'ALL', types: null, bounded: true },
  { title: 'a strict prefix of one word', terms: ['accor'], match: 'ALL', types: null, bounded: true },
  { title: 'a whole word that starts another word', terms: ['withdraw'], match: 'ALL', types: null, bounded: true },
  { title: 'a long prefix of several words whose first six letters start more', terms: ['bababab'], match: 'ALL', types: null, bounded: true },
  { title: 'a first name', terms: ['oumar'], match: 'ALL', types: null, bounded: null },
  { title: 'a first name and a prefix, people only', terms: ['oumar', 'ba'], match: 'ALL', types: ['PERSON'], bounded: false },
  { title: 'two words, both required', terms: ['accord', 'withdraw'], match: 'ALL', types: null, bounded: false },
  { title: 'two words, either', terms: ['accord', 'offensive'], match: 'ANY', types: null, bounded: true },
];

const inOrder = (a: string | number, b: string | number): number => (a < b ? -1 : a > b ? 1 : 0);

/** What the store must answer: candidates = the first LIMIT matches in candidate order, ranked (rank, id). */
function expected(matches: Match[]): Match[] {
  const candidates = [...matches].sort((a, b) => inOrder(a.order, b.order)).slice(0, LIMIT);
  return candidates.sort((a, b) => a.rank - b.rank || inOrder(a.id, b.id));
}

/** Every hit, paged through the store `first` at a time. */
async function pagedHits(store: GraphStore, query: SearchQuery, first: number): Promise<{ id: string; rank: number }[]> {
  const out: { id: string; rank: number }[] = [];
  let after: ListPosition | null = null;
  for (let i = 0; i < 2 * LIMIT; i++) {
    const page = await store.search(query, { first, after });
    out.push(...page.rows.map((r) => ({ id: r.subjectId, rank: r.rank })));
    if (!page.hasNextPage) return out;
    after = page.positions[page.positions.length - 1]!;
  }
  throw new Error('paging did not end');
}

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(backendTitle(backend, 'search: bounded ranking against brute force on a generated graph'), () => {
    let db: TestDatabase;
    let store: GraphStore;
    let bruteForce: (c: Case) => Promise<Match[]>;
    let close: () => Promise<void> = async () => undefined;

    beforeAll(async () => {
      db = await backend.createDatabase();
      store = await openStore(db.url);
      await store.replaceGraph(generated(), 'generated');
      if (backend.name === 'sqlite') {
        const file = new Database(db.url.slice('file:'.length), { readonly: true });
        close = async () => {
          file.close();
        };
        bruteForce = async (c) => {
          const expr = c.terms.map((t) => `"${t}"*`).join(c.match === 'ALL' ? ' AND ' : ' OR ');
          const rows = file
            .prepare(
              'SELECT s.subject_id AS id, s.subject_type AS type, f.rowid AS r, bm25(search_fts, 10.0, 1.0) AS rank ' +
                'FROM search_fts f JOIN search_subjects s ON s.rowid = f.rowid WHERE search_fts MATCH ?',
            )
            .all(expr) as { id: string; type: string; r: number; rank: number }[];
          return rows.filter((r) => !c.types || c.types.includes(r.type as SearchSubjectType)).map((r) => ({ id: r.id, type: r.type, order: r.r, rank: r.rank }));
        };
      } else {
        const client = new pg.Client({ connectionString: db.url });
        await client.connect();
        close = async () => client.end();
        bruteForce = async (c) => {
          const tsquery = c.terms.map((t) => `'${t}':*`).join(c.match === 'ALL' ? ' & ' : ' | ');
          const { rows } = await client.query(
            "SELECT subject_id AS id, subject_type AS type, (-ts_rank_cd('{0, 0, 0.1, 1}', tsv, $1::tsquery, 1))::float8 AS rank FROM search_index WHERE tsv @@ $1::tsquery",
            [tsquery],
          );
          return (rows as { id: string; type: string; rank: number }[])
            .filter((r) => !c.types || c.types.includes(r.type as SearchSubjectType))
            .map((r) => ({ id: r.id, type: r.type, order: r.id, rank: Number(r.rank) }));
        };
      }
    }, 180_000);

    afterAll(async () => {
      await close();
      await store?.close();
      await db?.drop();
    });

    it.each(CASES)('$title: same hits, order and count as the brute-force plan', async (c) => {
      const query: SearchQuery = { terms: c.terms, match: c.match, types: c.types };
      const matches = await bruteForce(c);
      // The case exercises what it says (the generated graph's proportions are documented).
      if (c.bounded) expect(matches.length).toBeGreaterThan(LIMIT);
      else if (c.bounded === false) {
        expect(matches.length).toBeGreaterThan(5);
        expect(matches.length).toBeLessThanOrEqual(LIMIT);
      }
      expect(await store.searchCount(query)).toBe(matches.length);
      // SQLite learns the number of matches of a one-term search without a type filter while ranking.
      const counted = backend.name === 'sqlite' && c.terms.length === 1 && !c.types;
      const firstPage = await store.search(query, { first: 10, after: null });
      expect(firstPage.matches).toBe(counted ? matches.length : undefined);
      const want = expected(matches);
      expect(want.length).toBe(Math.min(LIMIT, matches.length));
      for (const first of [100, 7]) {
        const got = await pagedHits(store, query, first);
        expect(got.map((h) => h.id), `first ${first}`).toEqual(want.map((m) => m.id));
        got.forEach((h, i) => expect(h.rank).toBeCloseTo(want[i]!.rank, 9));
      }
      // One row tells whether anything matches (what the search plan asks before relaxing).
      const probe = await store.search(query, { first: 0, after: null });
      expect(probe.rows).toEqual([]);
      expect(probe.hasNextPage).toBe(true);
    });

    it.skipIf(backend.name !== 'sqlite')('reads a term that is the prefix of one word as that word, a long term as its prefix list when that starts the same words, and keeps other terms prefixes (SQLite)', async () => {
      const file = new Database(db.url.slice('file:'.length), { readonly: true });
      try {
        const wordsFrom = (lo: string, hi: string) =>
          (file.prepare('SELECT DISTINCT term FROM search_fts_vocab WHERE term >= ? AND term < ?').all(lo, hi) as { term: string }[]).map((r) => r.term);
        const words = [...wordsFrom('acc', 'acd'), ...wordsFrom('withdr', 'withds'), ...wordsFrom('bababa', 'bababb')];
        // The generated texts: one word starting "accor"; several starting "withdr", all of them "withdraw…";
        // several starting "bababab" (entity names), and more starting "bababa".
        expect(words.filter((w) => w.startsWith('accor'))).toEqual(['accord']);
        const withdr = words.filter((w) => w.startsWith('withdr'));
        expect(withdr.length).toBeGreaterThan(1);
        expect(withdr.every((w) => w.startsWith('withdraw'))).toBe(true);
        const bababab = words.filter((w) => w.startsWith('bababab')).length;
        expect(bababab).toBeGreaterThan(1);
        expect(words.filter((w) => w.startsWith('bababa')).length).toBeGreaterThan(bababab);
        const expr = (terms: string[], match: 'ALL' | 'ANY' = 'ALL') => {
          const m = ftsMatch({ terms, match, types: null });
          return (file.prepare(`SELECT ${m.sql} AS e`).get(...(m.params as unknown[])) as { e: string }).e;
        };
        expect(expr(['accor'])).toBe('"accord"');
        expect(expr(['accord', 'withdr'])).toBe('"accord" AND "withdr"*');
        expect(expr(['accord', 'zzqxv'], 'ANY')).toBe('"accord" OR "zzqxv"*');
        expect(expr(['médiation'])).toBe('"médiation"*');
        // Longer than the longest prefix list (6): read from it when its first six letters start no other word.
        expect(expr(['withdraw'])).toBe('"withdr"*');
        expect(expr(['withdraw', 'bababab'], 'ANY')).toBe('"withdr"* OR "bababab"*');
        expect(expr(['withdrawx'])).toBe('"withdrawx"*');
      } finally {
        file.close();
      }
    });

    it('reports the exact number of matches while ranking one term, also after index rows were deleted and rewritten', async () => {
      // Merging entities deletes the merged one's index row (an FTS5 tombstone on SQLite) and rewrites the other's.
      const people = await store.listPage({ list: 'entities', type: 'PERSON' }, { first: 40, after: null });
      expect(people.rows.length).toBe(40);
      for (let i = 0; i < 40; i += 2) await store.mergeEntities(people.rows[i]!.id, people.rows[i + 1]!.id, { actor: 'test', at: '2026-01-01T00:00:00Z' });
      let indexRows = 0;
      if (backend.name === 'sqlite') {
        const file = new Database(db.url.slice('file:'.length), { readonly: true });
        indexRows = (file.prepare('SELECT COUNT(*) AS n FROM search_subjects').get() as { n: number }).n;
        file.close();
      }
      let clamped = 0;
      for (const w of ['accord', 'withdr', 'accor', 'oumar', 'elections', 'dispatch', 'a', 'zzqxv']) {
        const query: SearchQuery = { terms: [w], match: 'ALL', types: null };
        const all = await bruteForce({ title: w, terms: [w], match: 'ALL', types: null, bounded: null });
        expect(await store.searchCount(query), w).toBe(all.length);
        const first = await store.search(query, { first: 3, after: null });
        // SQLite: known for every word with a hit, except a word in half of the rows or more ("a"), whose
        // weight FTS5 clamps: that one is counted by the count query instead.
        const known = backend.name === 'sqlite' && all.length > 0 && 2 * all.length < indexRows;
        if (backend.name === 'sqlite' && 2 * all.length >= indexRows) clamped++;
        expect(first.matches, w).toBe(known ? all.length : undefined);
        if (first.hasNextPage) {
          const next = await store.search(query, { first: 3, after: first.positions[2]! });
          expect(next.matches, `${w} after a cursor`).toBe(known ? all.length : undefined);
        }
      }
      if (backend.name === 'sqlite') expect(clamped).toBe(1);
    });

    it('finds nothing for a word nobody wrote, and counts 0', async () => {
      const query: SearchQuery = { terms: ['zzqxv'], match: 'ALL', types: null };
      expect(await store.searchCount(query)).toBe(0);
      expect(await store.search(query, { first: 10, after: null })).toEqual({ rows: [], positions: [], hasNextPage: false });
      expect((await store.search(query, { first: 0, after: null })).hasNextPage).toBe(false);
    });
  });
}
