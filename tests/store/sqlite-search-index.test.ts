/**
 * The SQLite full-text index rebuilt by a migration (`REBUILD_SEARCH_FTS_SQL`,
 * migration 11, which adds prefix lists) holds exactly what the writer's
 * `searchIndexRows` wrote: the same words at the same positions in the same
 * rows and columns, the same row sizes, so the same hits and bm25 ranks. And a
 * prefix read from the prefix lists finds exactly the rows whose words start
 * with it (worked out from the index's own vocabulary).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { emptyGraphData, generateGraph } from '../../src/generate/synthetic-graph.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { REBUILD_SEARCH_FTS_SQL, SEARCH_PREFIX_LENGTHS, SQLITE_MIGRATIONS } from '../../src/store/sqlite/sqlite-migrations.js';
import type { GraphData } from '../../src/store/types.js';

const dir = mkdtempSync(join(tmpdir(), 'kg-search-index-'));
const file = join(dir, 'graph.sqlite');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A generated graph with the cases the SQL must write as the writer does. */
function graph(): GraphData {
  const all = emptyGraphData() as unknown as Record<string, unknown[]>;
  for (const batch of generateGraph({ entities: 400, batchDocuments: 20 })) {
    for (const [key, rows] of Object.entries(batch as unknown as Record<string, unknown[]>)) all[key]!.push(...rows);
  }
  const data = all as unknown as GraphData;
  const [a, b] = data.entities;
  // No title, an empty description; diacritics; an alias equal to the name; aliases listed out of their order.
  Object.assign(a!, { title: null, description: '' });
  Object.assign(b!, { name: 'Mëlissa Ñandú', title: 'Ministre' });
  const own = data.aliases.filter((x) => x.entityId === b!.id);
  const ord = Math.max(0, ...own.map((x) => x.ord));
  data.aliases.unshift(
    { ...own[0]!, name: 'Zorro Ñandú', norm: 'zorro nandu', ord: ord + 2 },
    { ...own[0]!, name: 'Mëlissa Ñandú', norm: 'melissa nandu', ord: ord + 1 },
  );
  Object.assign(data.events[0]!, { dateText: null, description: '' });
  return data;
}

/** Everything the index says about its rows: each word's instances, and each row's size per column. */
function indexContent(db: Database.Database): { instances: unknown[]; sizes: unknown[] } {
  return {
    instances: db.prepare('SELECT term, doc, col, offset FROM search_fts_vocab ORDER BY term, doc, col, offset').all(),
    sizes: db.prepare('SELECT id, sz FROM search_fts_docsize ORDER BY id').all(),
  };
}

const RANKED = 'SELECT rowid AS r, bm25(search_fts, 10, 1) AS rank FROM search_fts WHERE search_fts MATCH ? ORDER BY rowid';

describe('the SQLite full-text index built again by migration 11', () => {
  let db: Database.Database;
  beforeAll(async () => {
    const store = new SqliteStore(file);
    await store.replaceGraph(graph(), 'generated');
    await store.close();
    db = new Database(file);
  });
  afterAll(() => db.close());

  it('holds the same words, positions and row sizes as the writer wrote, so the same hits and ranks', () => {
    const written = indexContent(db);
    const queries = ['"accord"', '"melissa"', '"nandu" AND "zorro"', '"withdr"*', '"ministre"'];
    const rankedBefore = queries.map((q) => db.prepare(RANKED).all(q));
    expect(written.instances.length).toBeGreaterThan(10_000);
    expect(rankedBefore.every((rows) => rows.length > 0)).toBe(true);

    db.exec(SQLITE_MIGRATIONS.find((m) => m.includes(REBUILD_SEARCH_FTS_SQL))!);
    expect(indexContent(db)).toEqual(written);
    expect(queries.map((q) => db.prepare(RANKED).all(q))).toEqual(rankedBefore);
    expect((db.prepare("SELECT sql FROM sqlite_master WHERE name = 'search_fts'").get() as { sql: string }).sql).toContain(
      `prefix = '${SEARCH_PREFIX_LENGTHS}'`,
    );
  });

  it('finds with a prefix of every indexed length exactly the rows whose words start with it', () => {
    const lengths = SEARCH_PREFIX_LENGTHS.split(' ').map(Number);
    for (const word of ['withdrawal', 'offensive', 'nandu', 'accords']) {
      for (const n of [1, ...lengths, 7]) {
        const prefix = word.slice(0, n);
        const expected = (
          db.prepare('SELECT DISTINCT doc FROM search_fts_vocab WHERE term >= ? AND term < ? ORDER BY doc').all(prefix, `${prefix}\u{10ffff}`) as {
            doc: number;
          }[]
        ).map((r) => r.doc);
        const found = (db.prepare('SELECT rowid AS doc FROM search_fts WHERE search_fts MATCH ? ORDER BY rowid').all(`"${prefix}"*`) as { doc: number }[]).map(
          (r) => r.doc,
        );
        expect(found, prefix).toEqual(expected);
      }
    }
  });
});
