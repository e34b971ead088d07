/**
 * SQL of the analyst queries shared by the SQL backends (`?` placeholders, as
 * in `list-sql.ts`): adjacency of a batch of entities for paths and
 * neighbourhoods, and the aggregates behind analytics. Full-text search is
 * backend-specific (FTS5 in SQLite, tsvector in PostgreSQL) and lives with
 * each backend.
 */
import type { AdjacencyOptions, AdjacencyRow, AdjacentEntities, AdjacentEntitiesOptions, EntitySummaryRow, LinkType } from '../analyst-types.js';
import type { EntityType } from '../types.js';
import type { EventListQuery } from '../lists.js';
import { eventPeriodsApply, keptEventCountsByPeriodSql } from './event-periods-sql.js';
import { keptAdjacencySql, keptLinksAmongSql, LINK_RANKS, rankedNeighboursSql } from './kept-adjacency-sql.js';
import { keyIn, listBase, type KeyListStyle, placeholders, type SqlStatement } from './list-sql.js';


const ALL_LINKS: readonly LinkType[] = ['RELATIONSHIP', 'STATEMENT', 'EVENT'];

/**
 * How the adjacency statements are written for one database (Kysely-style
 * capability flags, never `if (backend)`).
 */
export interface AdjacencyDialect {
  /** How key lists are bound; default `in-list`. */
  keyList?: KeyListStyle;
  /**
   * Name the covering indexes of migrations 7 and 12 (`INDEXED BY`, SQLite only):
   * SQLite's planner otherwise prefers a table's unique primary-key index and
   * reads the table row for `kind` or `speaker_id` (one random read per link).
   */
  indexHints?: boolean;
  /**
   * Write the `toIds` filter so that the planner cannot probe an index with
   * it (SQLite's unary `+`): SQLite would otherwise probe every (from, to)
   * pair, |ids| × |toIds| lookups, where reading each entity's links and
   * filtering them on the index entries is cheaper for all but the largest hubs.
   */
  filterAfterRead?: boolean;
}

/** The five link reads of an adjacency statement, each with `from_id`, `to_id`, `link_type`, `link_id`, `label`, `outgoing`. */
function adjacencyParts(ids: readonly string[], options: AdjacencyOptions, dialect: AdjacencyDialect): SqlStatement[] {
  const links = options.linkTypes && options.linkTypes.length > 0 ? options.linkTypes : ALL_LINKS;
  const style = dialect.keyList ?? 'in-list';
  const hint = (index: string): string => (dialect.indexHints ? ` INDEXED BY ${index}` : '');
  const toIds = options.toIds ?? null;
  /** `from IN ids`, and `to IN toIds` when the options restrict the other end. */
  const where = (from: string, to: string): SqlStatement => {
    const a = keyIn(from, ids, style);
    if (!toIds) return a;
    const b = keyIn(dialect.filterAfterRead ? `+${to}` : to, toIds, style);
    return { sql: `${a.sql} AND ${b.sql}`, params: [...a.params, ...b.params] };
  };
  const parts: SqlStatement[] = [];
  const part = (select: string, w: SqlStatement, extra = ''): void => {
    parts.push({ sql: `${select} WHERE ${w.sql}${extra}`, params: w.params });
  };
  const both = !options.outgoingOnly;
  if (links.includes('RELATIONSHIP')) {
    part(
      `SELECT r.source_id AS from_id, r.target_id AS to_id, 'RELATIONSHIP' AS link_type, r.id AS link_id, r.type AS label, 1 AS outgoing FROM relationships r${hint('relationships_source_adjacency')}`,
      where('r.source_id', 'r.target_id'),
      ' AND r.target_id <> r.source_id',
    );
    if (both) {
      part(
        `SELECT r.target_id AS from_id, r.source_id AS to_id, 'RELATIONSHIP' AS link_type, r.id AS link_id, r.type AS label, 0 AS outgoing FROM relationships r${hint('relationships_target_adjacency')}`,
        where('r.target_id', 'r.source_id'),
        ' AND r.source_id <> r.target_id',
      );
    }
  }
  if (links.includes('STATEMENT')) {
    // Subjects can be events: only entity subjects are links (implied when `toIds` are given).
    const entitySubject = toIds ? '' : ` JOIN entities e${hint('entities_mentions_by_id')} ON e.id = ss.subject_id`;
    part(
      `SELECT s.speaker_id AS from_id, ss.subject_id AS to_id, 'STATEMENT' AS link_type, s.id AS link_id, s.kind AS label, 1 AS outgoing FROM statements s${hint('statements_speaker_adjacency')} ` +
        `JOIN statement_subjects ss${hint('statement_subjects_adjacency')} ON ss.statement_id = s.id${entitySubject}`,
      where('s.speaker_id', 'ss.subject_id'),
      ' AND ss.subject_id <> s.speaker_id',
    );
    if (both) {
      part(
        `SELECT ss.subject_id AS from_id, s.speaker_id AS to_id, 'STATEMENT' AS link_type, s.id AS link_id, s.kind AS label, 0 AS outgoing FROM statement_subjects ss${hint('statement_subjects_subject')} ` +
          `JOIN statements s${hint('statements_adjacency')} ON s.id = ss.statement_id`,
        where('ss.subject_id', 's.speaker_id'),
        ' AND s.speaker_id <> ss.subject_id',
      );
    }
  }
  if (links.includes('EVENT')) {
    part(
      `SELECT p1.entity_id AS from_id, p2.entity_id AS to_id, 'EVENT' AS link_type, p1.event_id AS link_id, ev.kind AS label, 1 AS outgoing FROM event_participants p1${hint('participants_entity')} ` +
        `JOIN event_participants p2${hint('participants_event_entity')} ON p2.event_id = p1.event_id AND p2.entity_id <> p1.entity_id ` +
        `JOIN events ev${hint('events_adjacency')} ON ev.id = p1.event_id`,
      where('p1.entity_id', 'p2.entity_id'),
    );
  }
  return parts;
}

/** Parts joined with `UNION ALL`. */
function unionAll(parts: readonly SqlStatement[]): SqlStatement {
  return { sql: parts.map((p) => p.sql).join(' UNION ALL '), params: parts.flatMap((p) => p.params) };
}

/**
 * Every link from the entities `ids` to a neighbouring entity, one row per
 * (from, to, link): relationships both ways, statements from speaker to each
 * entity subject and back, and events two entities take part in. Only links
 * to `toIds` when the options give them. Ordered for determinism unless
 * `unordered`; `LIMIT` when the options give one.
 */
export function adjacencySql(ids: readonly string[], options: AdjacencyOptions = {}, dialect: AdjacencyDialect = {}): SqlStatement {
  const union = unionAll(adjacencyParts(ids, options, dialect));
  let sql = `SELECT DISTINCT from_id, to_id, link_type, link_id, label, outgoing FROM (${union.sql}) a`;
  const params = [...union.params];
  if (!options.unordered) sql += ' ORDER BY from_id, link_type, to_id, link_id';
  if (options.limit != null) {
    sql += ' LIMIT ?';
    params.push(options.limit);
  }
  return { sql, params };
}

/** A database row as the drivers return it. */
type Row = Record<string, unknown>;

/** How a backend runs the adjacency statements. */
export interface AdjacencyRunner {
  /** Run one statement (`?` placeholders). */
  run(statement: SqlStatement): Promise<Row[]> | Row[];
  /**
   * Run one statement and return each row as an array of the values of
   * `columns` (names it selects), in that order, when the backend has a
   * cheaper way than row objects (SQLite: one JSON text; a neighbourhood's
   * ~5,000 edge rows cost 40 % less). Without it, rows are read with `run`.
   */
  runArrays?(statement: SqlStatement, columns: readonly string[]): Promise<unknown[][]> | unknown[][];
  dialect: AdjacencyDialect;
  /** Most parameters bound in one statement (an array counts as one). */
  maxParams: number;
}

/** Keys bound per key list: one per key, or one array. */
const bound = (n: number, dialect: AdjacencyDialect): number => ((dialect.keyList ?? 'in-list') === 'any-array' ? 1 : n);

/** Each key list appears once in each of the five link reads. */
const PARTS = 5;

/** A row of an adjacency statement as an `AdjacencyRow`. */
function adjacencyRow(r: Row): AdjacencyRow {
  return {
    fromId: String(r.from_id),
    toId: String(r.to_id),
    linkType: String(r.link_type) as LinkType,
    linkId: String(r.link_id),
    label: String(r.label),
    outgoing: Number(r.outgoing) === 1,
  };
}

/** The columns of a kept-adjacency link read, in the order `readLinksAmong` reads them. */
const LINK_COLUMNS = ['from_id', 'to_id', 'link_type', 'link_id', 'label', 'outgoing'] as const;

/** A statement's rows as arrays of the values of `columns`: `runArrays` when the backend has it. */
async function readArrays(runner: AdjacencyRunner, statement: SqlStatement, columns: readonly string[]): Promise<unknown[][]> {
  if (runner.runArrays) return runner.runArrays(statement, columns);
  return (await runner.run(statement)).map((r) => columns.map((c) => r[c]));
}

/** True when both lists hold the same ids. */
function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every((id) => y.has(id));
}

/**
 * `GraphReader.adjacency` over SQL: the frontier in chunks that fit the
 * parameter limit (each id is bound once per link read, and so is each of
 * `toIds`); when `toIds` alone would not fit, links are filtered after reading.
 * Unordered reads come from the kept adjacency instead: the links among a set
 * of entities (`toIds` the same set, `outgoingOnly`: a neighbourhood's edges)
 * each from its less mentioned end (`readLinksAmong`), the links of a path's
 * frontier from both ends (`keptAdjacencySql`).
 */
export async function readAdjacency(runner: AdjacencyRunner, ids: readonly string[], options: AdjacencyOptions = {}): Promise<AdjacencyRow[]> {
  if (options.toIds && options.outgoingOnly && options.unordered && sameSet(ids, options.toIds)) return readLinksAmong(runner, ids, options);
  const out: AdjacencyRow[] = [];
  const unique = [...new Set(ids)];
  let toIds = options.toIds ? [...new Set(options.toIds)] : null;
  if (toIds && toIds.length === 0) return out;
  const perStatement = Math.floor(runner.maxParams / PARTS) - 1;
  let filter: Set<string> | null = null;
  if (toIds && bound(toIds.length, runner.dialect) > perStatement / 2) {
    filter = new Set(toIds);
    toIds = null;
  }
  const room = perStatement - (toIds ? bound(toIds.length, runner.dialect) : 0);
  const chunkSize = (runner.dialect.keyList ?? 'in-list') === 'any-array' ? Math.max(1, runner.maxParams) : Math.max(1, room);
  for (let i = 0; i < unique.length; i += chunkSize) {
    const limit = options.limit != null ? options.limit - out.length : null;
    if (limit !== null && limit <= 0) break;
    const chunk = unique.slice(i, i + chunkSize);
    // With a filter after reading, a LIMIT would count links that are then dropped: read the chunk whole.
    // perf: in no particular order and from both ends, the links come from the kept adjacency (one range per entity).
    const statement =
      options.unordered && !options.outgoingOnly
        ? keptAdjacencySql(chunk, { toIds, linkTypes: options.linkTypes, limit: filter ? null : limit }, runner.dialect)
        : adjacencySql(chunk, { ...options, toIds, limit: filter ? null : limit }, runner.dialect);
    for (const r of await runner.run(statement)) {
      const row = adjacencyRow(r);
      if (filter && !filter.has(row.toId)) continue;
      if (limit !== null && out.length >= options.limit!) break;
      out.push(row);
    }
  }
  return out;
}

/**
 * Every link among the entities `ids`, each once, seen from the end it points
 * from (events from both ends), as `adjacency(ids, { toIds: ids, outgoingOnly:
 * true })` returns them; at most `limit` when given (which ones is then up to
 * the database). Read from the kept adjacency: each entity's links to
 * entities ranked higher, or as high with a higher id (`keptLinksAmongSql`).
 */
async function readLinksAmong(runner: AdjacencyRunner, ids: readonly string[], options: AdjacencyOptions): Promise<AdjacencyRow[]> {
  const unique = [...new Set(ids)];
  // perf: a list, not a map by link key: every row read is a link no other row is (see below), so there is nothing to merge.
  const out: AdjacencyRow[] = [];
  const limit = options.limit ?? Infinity;
  // Each statement binds its chunk and the whole set (filtered after reading when the set is too long to bind).
  const bindAll = bound(unique.length, runner.dialect) <= runner.maxParams / 2;
  const chunkSize = (runner.dialect.keyList ?? 'in-list') === 'any-array' ? Math.max(1, runner.maxParams) : Math.max(1, Math.floor(runner.maxParams / 2));
  const filter = new Set(unique);
  /** Keep a row seen from the end the link points from. */
  const keep = (fromId: string, toId: string, linkType: LinkType, linkId: string, label: string): void => {
    if (out.length < limit) out.push({ fromId, toId, linkType, linkId, label, outgoing: true });
  };
  for (let i = 0; i < unique.length && out.length < limit; i += chunkSize) {
    const chunk = unique.slice(i, i + chunkSize);
    // Every row read is a link not read before (each link is read from one end), which the filter keeps when the set is bound:
    // then no more rows than the room left are needed (and the text of SQLite's JSON rows stays bounded).
    const room = bindAll && Number.isFinite(limit) ? limit - out.length : null;
    const statement = keptLinksAmongSql(chunk, bindAll ? unique : null, options.linkTypes, runner.dialect, room);
    // perf: the rows as arrays, and no intermediate row objects.
    const rows = await readArrays(runner, statement, LINK_COLUMNS);
    for (const r of rows) {
      const fromId = String(r[0]);
      const toId = String(r[1]);
      if (!filter.has(toId)) continue;
      const linkType = String(r[2]) as LinkType;
      const linkId = String(r[3]);
      const label = String(r[4]);
      // Seen from the end the link points from: an event (no direction) from both ends.
      if (linkType === 'EVENT') {
        keep(fromId, toId, linkType, linkId, label);
        keep(toId, fromId, linkType, linkId, label);
      } else if (Number(r[5]) === 1) keep(fromId, toId, linkType, linkId, label);
      else keep(toId, fromId, linkType, linkId, label);
    }
  }
  return out;
}

/** The first rank band read: ranks of 512 mentions and more, which few entities of any graph reach. */
const TOP_RANK_BAND = { lo: 10, hi: LINK_RANKS } as const;

/** How many times more neighbours one rank lower is assumed to hold, when `nextRankBand` plans a wider band. */
const RANK_GROWTH = 4;

/**
 * The next rank band to read, the ranks just below `above` (the lowest rank
 * read so far), given the rows the last band returned (`lastRows`) and how
 * many more entities are needed (`needed`): the rank below, and lower ranks
 * too while an estimate of what they hold (each rank `RANK_GROWTH` times the
 * one above it, from the last band's rows) stays under `needed`. Any bands
 * from the top down give the same answer (see `readAdjacentEntities`); perf:
 * each band costs one index range per frontier entity whatever it finds, so
 * ranks that hold few neighbours are read together, and a rank that may hold
 * many on its own, so that reading still stops soon after the level is
 * decided (10k graph, the scale bench's centres: 17.8 → 9.1 statements and
 * 1.85 → 1.65 ms of SQL per neighbourhood).
 */
export function nextRankBand(above: number, lastRows: number, needed: number): { lo: number; hi: number } {
  const hi = above - 1;
  let lo = hi;
  let estimate = Math.max(1, lastRows) * RANK_GROWTH;
  let total = estimate;
  while (lo > 0 && total + estimate * RANK_GROWTH < needed) {
    estimate *= RANK_GROWTH;
    total += estimate;
    lo--;
  }
  return { lo, hi };
}

/**
 * `GraphReader.adjacentEntities` over SQL, from the kept adjacency: the
 * neighbours of the whole frontier, one rank band at a time from the highest
 * (each band one index range per frontier entity; bands as `nextRankBand`
 * plans them), until the bands read hold `first` entities that are not
 * excluded. Every entity in a lower band has fewer mentions than all of
 * those, so the first `first` of all the neighbours are among them: ranked
 * here by exact mention count, ties by id.
 */
export async function readAdjacentEntities(runner: AdjacencyRunner, ids: readonly string[], options: AdjacentEntitiesOptions): Promise<AdjacentEntities> {
  const unique = [...new Set(ids)];
  const exclude = new Set(options.exclude);
  const chunkSize = (runner.dialect.keyList ?? 'in-list') === 'any-array' ? Math.max(1, runner.maxParams) : Math.max(1, runner.maxParams - 10);
  const found = new Map<string, number>();
  if (options.first <= 0) return { entities: [] };
  let band: { lo: number; hi: number } = TOP_RANK_BAND;
  for (;;) {
    let rows = 0;
    for (let i = 0; i < unique.length; i += chunkSize) {
      const chunk = unique.slice(i, i + chunkSize);
      const read = await runner.run(rankedNeighboursSql(chunk, band, options.linkTypes, runner.dialect));
      rows += read.length;
      for (const r of read) {
        const id = String(r.id);
        if (!exclude.has(id)) found.set(id, Number(r.mention_count));
      }
    }
    if (found.size >= options.first || band.lo === 0) break;
    band = nextRankBand(band.lo, rows, options.first - found.size);
  }
  const entities = [...found]
    .map(([id, mentionCount]) => ({ id, mentionCount }))
    .sort((a, b) => b.mentionCount - a.mentionCount || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, options.first);
  return { entities };
}

/**
 * `GraphReader.entitySummaries` over SQL: the five columns a subgraph node
 * shows, in chunks that fit the parameter limit. perf: 500 whole entity rows
 * (15 columns, descriptions) cost about three times as much to read and turn
 * into objects; as arrays (`runArrays`), less again.
 */
export async function readEntitySummaries(runner: AdjacencyRunner, ids: readonly string[]): Promise<EntitySummaryRow[]> {
  const unique = [...new Set(ids)];
  const chunkSize = Math.max(1, runner.maxParams);
  const out: EntitySummaryRow[] = [];
  for (let i = 0; i < unique.length; i += chunkSize) {
    const w = keyIn('id', unique.slice(i, i + chunkSize), runner.dialect.keyList ?? 'in-list');
    // perf: one index entry per entity (SQLite migration 12), not the id index and then the table row.
    const hint = runner.dialect.indexHints ? ' INDEXED BY entities_summary_by_id' : '';
    const statement = { sql: `SELECT id, name, type, kind, mention_count FROM entities${hint} WHERE ${w.sql}`, params: w.params };
    for (const r of await readArrays(runner, statement, ['id', 'name', 'type', 'kind', 'mention_count'])) {
      out.push({ id: String(r[0]), name: String(r[1]), type: String(r[2]) as EntityType, kind: r[3] == null ? null : String(r[3]), mentionCount: Number(r[4]) });
    }
  }
  return out;
}

/** The sum of the degrees (relationships) of the entities `ids`: what expanding them costs, roughly. */
export function degreeSumSql(ids: readonly string[], dialect: AdjacencyDialect = {}): SqlStatement {
  const w = keyIn('id', ids, dialect.keyList ?? 'in-list');
  const hint = dialect.indexHints ? ' INDEXED BY entities_mentions_by_id' : '';
  return { sql: `SELECT COALESCE(SUM(degree), 0) AS n FROM entities${hint} WHERE ${w.sql}`, params: w.params };
}

/** The sum of the degrees of the entities `ids` (each counted once), in statements of at most `runner.maxParams` keys. */
export async function readDegreeSum(runner: AdjacencyRunner, ids: readonly string[]): Promise<number> {
  const unique = [...new Set(ids)];
  const chunkSize = Math.max(1, runner.maxParams);
  let sum = 0;
  for (let i = 0; i < unique.length; i += chunkSize) sum += Number((await runner.run(degreeSumSql(unique.slice(i, i + chunkSize), runner.dialect)))[0]!.n);
  return sum;
}

/**
 * Dated events of a list query counted per year, or per month, where events
 * dated only to a year keep `m` null: a year-precision date never lands in a
 * month.
 */
export function eventCountsByPeriodSql(query: EventListQuery, granularity: 'YEAR' | 'MONTH'): SqlStatement {
  // perf: filtered by the period only, whole years come from kept counts (event-periods-sql.ts).
  if (eventPeriodsApply(query)) return keptEventCountsByPeriodSql(query, granularity);
  const base = listBase(query);
  const month = granularity === 'MONTH' ? "CASE WHEN b.precision = 'YEAR' THEN NULL ELSE b.month END" : 'NULL';
  return {
    sql:
      `SELECT b.year AS y, ${month} AS m, COUNT(*) AS n, SUM(b.date_inferred) AS inferred FROM (${base.sql}) b ` +
      `WHERE b.year IS NOT NULL GROUP BY b.year${granularity === 'MONTH' ? `, ${month}` : ''} ORDER BY y, m NULLS FIRST`,
    params: base.params,
  };
}

/** Statement counts per (speaker, subject, kind), most first; only `kinds` when given. */
export function statementMatrixSql(kinds: readonly string[] | null | undefined, first: number): SqlStatement {
  const filter = kinds && kinds.length > 0 ? `WHERE s.kind IN (${placeholders(kinds.length)})` : '';
  return {
    sql:
      `SELECT s.speaker_id AS speaker_id, ss.subject_id AS subject_id, s.kind AS kind, COUNT(DISTINCT s.id) AS n ` +
      `FROM statements s JOIN statement_subjects ss ON ss.statement_id = s.id ${filter} ` +
      'GROUP BY s.speaker_id, ss.subject_id, s.kind ORDER BY n DESC, speaker_id, subject_id, kind LIMIT ?',
    params: [...(kinds && kinds.length > 0 ? kinds : []), first],
  };
}

/** Mentions with the sentence they fall in (by start offset). */
const MENTION_SENTENCES =
  'SELECT DISTINCT m.entity_id AS entity_id, se.document_id AS document_id, se.ord AS ord, se.start_offset AS start_offset, se.end_offset AS end_offset ' +
  'FROM mentions m JOIN sentences se ON se.document_id = m.document_id AND m.start_offset >= se.start_offset AND m.start_offset < se.end_offset';

/** Pairs of distinct entities mentioned in the same sentence, by number of sentences, most first. */
export function coMentionsSql(first: number): SqlStatement {
  return {
    sql:
      `WITH ms AS (${MENTION_SENTENCES}) ` +
      'SELECT a.entity_id AS a_id, b.entity_id AS b_id, COUNT(*) AS n FROM ms a JOIN ms b ' +
      'ON b.document_id = a.document_id AND b.ord = a.ord AND a.entity_id < b.entity_id ' +
      'GROUP BY a.entity_id, b.entity_id ORDER BY n DESC, a_id, b_id LIMIT ?',
    params: [first],
  };
}

/** The sentences in which each pair (`a` < `b`) is mentioned, in document order, at most `perPair` each. */
export function coMentionSentencesSql(pairs: readonly { aId: string; bId: string }[], perPair: number): SqlStatement {
  const wanted = pairs.map(() => '(a.entity_id = ? AND b.entity_id = ?)').join(' OR ');
  return {
    sql:
      `WITH ms AS (${MENTION_SENTENCES}) ` +
      'SELECT * FROM (SELECT a.entity_id AS a_id, b.entity_id AS b_id, a.document_id AS document_id, a.ord AS ord, ' +
      'a.start_offset AS start_offset, a.end_offset AS end_offset, ' +
      'ROW_NUMBER() OVER (PARTITION BY a.entity_id, b.entity_id ORDER BY a.document_id, a.ord) AS rn ' +
      `FROM ms a JOIN ms b ON b.document_id = a.document_id AND b.ord = a.ord WHERE ${wanted}) x WHERE x.rn <= ? ` +
      'ORDER BY a_id, b_id, document_id, ord',
    params: [...pairs.flatMap((p) => [p.aId, p.bId]), perPair],
  };
}

/** Counts of every kind of fact, grouped, in one statement, in a fixed order (section, then type and kind, nulls first). */
export function statsSql(): SqlStatement {
  const parts = [
    "SELECT 1 AS section, 'ENTITY' AS subject, type AS type, kind AS kind, COUNT(*) AS n FROM entities GROUP BY type, kind",
    "SELECT 2, 'EVENT', NULL, kind, COUNT(*) FROM events GROUP BY kind",
    "SELECT 3, 'STATEMENT', attribution, kind, COUNT(*) FROM statements GROUP BY attribution, kind",
    "SELECT 4, 'RELATIONSHIP', NULL, type, COUNT(*) FROM relationships GROUP BY type",
    "SELECT 5, 'DOCUMENT', NULL, NULL, COUNT(*) FROM documents",
    "SELECT 6, 'MENTION', NULL, NULL, COUNT(*) FROM mentions",
  ];
  return {
    sql: `SELECT subject, type, kind, n FROM (${parts.join(' UNION ALL ')}) s ORDER BY section, type NULLS FIRST, kind NULLS FIRST`,
    params: [],
  };
}

/**
 * Recount the degree (relationships at either end) of the given entities, for
 * writers that change part of the graph.
 */
export function recountDegreesSql(ids: readonly string[]): SqlStatement {
  return {
    sql:
      'UPDATE entities SET degree = (SELECT COUNT(*) FROM relationships r WHERE r.source_id = entities.id) + ' +
      '(SELECT COUNT(*) FROM relationships r WHERE r.target_id = entities.id AND r.source_id <> entities.id) ' +
      `WHERE id IN (${placeholders(ids.length)})`,
    params: [...ids],
  };
}

/** Recount the mentions of the given entities, for writers that change part of the graph. */
export function recountMentionsSql(ids: readonly string[]): SqlStatement {
  return {
    sql: `UPDATE entities SET mention_count = (SELECT COUNT(*) FROM mentions m WHERE m.entity_id = entities.id) WHERE id IN (${placeholders(ids.length)})`,
    params: [...ids],
  };
}
