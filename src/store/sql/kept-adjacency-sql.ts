/**
 * The kept adjacency (`entity_adjacency`, SQLite migration 10 / PostgreSQL
 * migration 8): every link between two entities stored once from each end,
 * keyed by (entity, rank of the other end, other end, link), so that the
 * neighbours of an entity can be read most mentioned first without reading
 * all of its links, and the links among a set of entities can be read from the
 * less mentioned end of each.
 *
 * The rank of an entity is its mention count on a logarithmic scale
 * (`linkRankOf`): rank r holds counts 2^(r-1) ≤ m < 2^r, 0 holds 0. A rank
 * changes only when a count crosses a power of two, so triggers move an
 * entity's rows (one per link at its neighbours) rarely; ordering within a
 * rank is done with the exact counts of the few entities read.
 *
 * Rows: relationships (from the source, `outgoing` 1, and from the target,
 * 0), statements (speaker to each subject, 1, and back, 0; subjects may be
 * events, which are never entities and so have rank 0), and events (each
 * ordered pair of distinct participants, both 1; only while the event row
 * exists, labelled with its kind). Self-links are left out, as in
 * `adjacencySql`, and so are relationships without an id (SQLite lets a text
 * primary key be null; no writer of ours leaves one so).
 */
import type { LinkType } from '../analyst-types.js';
import { keyIn, type KeyListStyle, type SqlStatement } from './list-sql.js';

/** Highest rank: counts of 2^23 mentions and more share it. */
export const LINK_RANKS = 24;

/** The rank of an entity mentioned `mentions` times (0 for none; 2^(r-1) ≤ m < 2^r is rank r). */
export function linkRankOf(mentions: number): number {
  return mentions <= 0 ? 0 : Math.min(LINK_RANKS, 32 - Math.clz32(Math.min(mentions, 2 ** 31 - 1)));
}

/** `linkRankOf` in SQL (both backends), of an integer expression; integer comparisons only, so exact. */
export function linkRankSql(mentions: string): string {
  const arms: string[] = [];
  for (let r = LINK_RANKS; r >= 1; r--) arms.push(`WHEN ${mentions} >= ${2 ** (r - 1)} THEN ${r}`);
  return `(CASE ${arms.join(' ')} ELSE 0 END)`;
}

/**
 * `rank > linkRankOf(mentions)` in SQL (both backends) without `linkRankSql`'s
 * CASE: rank k > r holds exactly when k ≥ 1 and mentions < 2^(k-1) (ranks are
 * at most 24, so a count of 2^23 or more is never below). perf: the links'
 * read (`keptLinksAmongSql`) tests it on every row it reads whose other end
 * has the lower id, where the CASE took up to 24 comparisons (10k and 100k:
 * ~0.5 ms less per neighbourhood of 500 nodes).
 */
export function rankAboveSql(rank: string, mentions: string): string {
  return `(${rank} > 0 AND ${mentions} < (1 << (${rank} - 1)))`;
}

/** Every rank, as an IN list: lets a delete by a row's other columns probe each rank instead of reading all of an entity's rows. */
export const ANY_LINK_RANK = `rank IN (${Array.from({ length: LINK_RANKS + 1 }, (_, r) => r).join(', ')})`;

/** The table (both backends; PostgreSQL adds the "C" collation to the text columns itself). */
export function entityAdjacencyTable(options: { withoutRowid: boolean; collate: string }): string {
  const text = `TEXT${options.collate} NOT NULL`;
  return (
    `CREATE TABLE entity_adjacency (entity_id ${text}, rank INTEGER NOT NULL, neighbour_id ${text}, link_type ${text}, ` +
    `link_id ${text}, outgoing INTEGER NOT NULL, label ${text}, ` +
    `PRIMARY KEY (entity_id, rank, neighbour_id, link_type, link_id, outgoing))${options.withoutRowid ? ' WITHOUT ROWID' : ''}`
  );
}

/** The rank of the entity `id` now (0 when it is not an entity). */
export const rankOfEntity = (id: string): string =>
  `COALESCE((SELECT ${linkRankSql('rk.mention_count')} FROM entities rk WHERE rk.id = ${id}), 0)`;

/**
 * Every row of the kept adjacency, worked out from the link tables (for a
 * migration or a bulk load; both backends). No duplicates: a statement naming
 * a subject twice, or an entity taking part twice in an event, gives one row.
 */
export const ENTITY_ADJACENCY_ROWS_SQL =
  'SELECT l.entity_id, ' +
  linkRankSql('COALESCE(n.mention_count, 0)') +
  ', l.neighbour_id, l.link_type, l.link_id, l.outgoing, l.label FROM (' +
  "SELECT r.source_id AS entity_id, r.target_id AS neighbour_id, 'RELATIONSHIP' AS link_type, r.id AS link_id, 1 AS outgoing, r.type AS label " +
  'FROM relationships r WHERE r.source_id <> r.target_id AND r.id IS NOT NULL ' +
  "UNION ALL SELECT r.target_id, r.source_id, 'RELATIONSHIP', r.id, 0, r.type FROM relationships r WHERE r.source_id <> r.target_id AND r.id IS NOT NULL " +
  "UNION ALL SELECT DISTINCT s.speaker_id, ss.subject_id, 'STATEMENT', s.id, 1, s.kind FROM statements s " +
  'JOIN statement_subjects ss ON ss.statement_id = s.id WHERE ss.subject_id <> s.speaker_id ' +
  "UNION ALL SELECT DISTINCT ss.subject_id, s.speaker_id, 'STATEMENT', s.id, 0, s.kind FROM statements s " +
  'JOIN statement_subjects ss ON ss.statement_id = s.id WHERE ss.subject_id <> s.speaker_id ' +
  "UNION ALL SELECT DISTINCT p1.entity_id, p2.entity_id, 'EVENT', p1.event_id, 1, ev.kind FROM event_participants p1 " +
  'JOIN event_participants p2 ON p2.event_id = p1.event_id AND p2.entity_id <> p1.entity_id JOIN events ev ON ev.id = p1.event_id' +
  ') l LEFT JOIN entities n ON n.id = l.neighbour_id';

/**
 * Rebuild the kept adjacency from the link tables (both backends): for a
 * migration, and a bulk load, which drops the triggers that keep it. Rows go
 * in in key order (perf: SQLite appends to its B-tree instead of inserting at
 * random places; 100k entities: 24 s instead of 42 s on a loaded machine).
 */
export const REBUILD_ENTITY_ADJACENCY_SQL: readonly string[] = [
  'DELETE FROM entity_adjacency',
  `INSERT INTO entity_adjacency (entity_id, rank, neighbour_id, link_type, link_id, outgoing, label) ${ENTITY_ADJACENCY_ROWS_SQL} ORDER BY 1, 2, 3, 4, 5, 6`,
];

/**
 * The statements that keep `entity_adjacency` in step with one changed link
 * row, for the triggers of both backends (`row` is `NEW` or `OLD`). `insert`
 * turns a SELECT of rows into the backend's insert that skips rows already
 * there (SQLite `INSERT OR IGNORE`, PostgreSQL `ON CONFLICT DO NOTHING`).
 * Deletes name every rank (`ANY_LINK_RANK`), so that they find a link's rows
 * by probing the primary key whatever the other end's rank.
 */
export function keptAdjacencyUpkeep(insert: (select: string) => string) {
  const unlink = (from: string, to: string, type: string, link: string): string =>
    `DELETE FROM entity_adjacency WHERE entity_id ${from} AND ${ANY_LINK_RANK} AND neighbour_id ${to} AND link_type = '${type}' AND link_id = ${link}`;
  const participantsOf = (event: string): string => `(SELECT entity_id FROM event_participants WHERE event_id = ${event})`;
  return {
    /** A relationship's two rows (none for a self-link). */
    linkRelationship: (r: string): string =>
      insert(
        `SELECT ${r}.source_id, ${rankOfEntity(`${r}.target_id`)}, ${r}.target_id, 'RELATIONSHIP', ${r}.id, 1, ${r}.type WHERE ${r}.source_id <> ${r}.target_id AND ${r}.id IS NOT NULL ` +
          `UNION ALL SELECT ${r}.target_id, ${rankOfEntity(`${r}.source_id`)}, ${r}.source_id, 'RELATIONSHIP', ${r}.id, 0, ${r}.type WHERE ${r}.source_id <> ${r}.target_id AND ${r}.id IS NOT NULL`,
      ),
    unlinkRelationship: (r: string): string =>
      `${unlink(`= ${r}.source_id`, `= ${r}.target_id`, 'RELATIONSHIP', `${r}.id`)};\n    ${unlink(`= ${r}.target_id`, `= ${r}.source_id`, 'RELATIONSHIP', `${r}.id`)}`,
    /** A statement's rows, speaker to each subject already written and back. */
    linkStatement: (s: string): string =>
      insert(
        `SELECT ${s}.speaker_id, ${rankOfEntity('ss.subject_id')}, ss.subject_id, 'STATEMENT', ${s}.id, 1, ${s}.kind FROM statement_subjects ss WHERE ss.statement_id = ${s}.id AND ss.subject_id <> ${s}.speaker_id ` +
          `UNION ALL SELECT ss.subject_id, ${rankOfEntity(`${s}.speaker_id`)}, ${s}.speaker_id, 'STATEMENT', ${s}.id, 0, ${s}.kind FROM statement_subjects ss WHERE ss.statement_id = ${s}.id AND ss.subject_id <> ${s}.speaker_id`,
      ),
    /** Remove a statement's rows; its subjects are read under `subjectsId` too (the id after an update). */
    unlinkStatement: (s: string, subjectsId: string): string => {
      const subjects = `(SELECT subject_id FROM statement_subjects WHERE statement_id IN (${s}.id, ${subjectsId}))`;
      return `${unlink(`= ${s}.speaker_id`, `IN ${subjects}`, 'STATEMENT', `${s}.id`)};\n    ${unlink(`IN ${subjects}`, `= ${s}.speaker_id`, 'STATEMENT', `${s}.id`)}`;
    },
    /** A statement subject's two rows, when its statement is written. */
    linkSubject: (ss: string): string =>
      insert(
        `SELECT s.speaker_id, ${rankOfEntity(`${ss}.subject_id`)}, ${ss}.subject_id, 'STATEMENT', s.id, 1, s.kind FROM statements s WHERE s.id = ${ss}.statement_id AND s.speaker_id <> ${ss}.subject_id ` +
          `UNION ALL SELECT ${ss}.subject_id, ${rankOfEntity('s.speaker_id')}, s.speaker_id, 'STATEMENT', s.id, 0, s.kind FROM statements s WHERE s.id = ${ss}.statement_id AND s.speaker_id <> ${ss}.subject_id`,
      ),
    /** Remove a statement subject's rows, unless the statement names the subject in another row too. */
    unlinkSubject: (ss: string): string => {
      const speaker = `(SELECT speaker_id FROM statements WHERE id = ${ss}.statement_id)`;
      const gone = `NOT EXISTS (SELECT 1 FROM statement_subjects WHERE statement_id = ${ss}.statement_id AND subject_id = ${ss}.subject_id)`;
      return (
        `${unlink(`= ${speaker}`, `= ${ss}.subject_id`, 'STATEMENT', `${ss}.statement_id`)} AND ${gone};\n    ` +
        `${unlink(`= ${ss}.subject_id`, `= ${speaker}`, 'STATEMENT', `${ss}.statement_id`)} AND ${gone}`
      );
    },
    /** A participant's rows with every other participant of its event, both ways, when the event is written. */
    linkParticipant: (p: string): string =>
      insert(
        `SELECT ${p}.entity_id, ${rankOfEntity('o.entity_id')}, o.entity_id, 'EVENT', ${p}.event_id, 1, ev.kind FROM event_participants o JOIN events ev ON ev.id = o.event_id ` +
          `WHERE o.event_id = ${p}.event_id AND o.entity_id <> ${p}.entity_id ` +
          `UNION ALL SELECT o.entity_id, ${rankOfEntity(`${p}.entity_id`)}, ${p}.entity_id, 'EVENT', ${p}.event_id, 1, ev.kind FROM event_participants o JOIN events ev ON ev.id = o.event_id ` +
          `WHERE o.event_id = ${p}.event_id AND o.entity_id <> ${p}.entity_id`,
      ),
    /** Remove a participant's rows, unless the entity still takes part in the event in another row. */
    unlinkParticipant: (p: string): string => {
      const gone = `NOT EXISTS (SELECT 1 FROM event_participants WHERE event_id = ${p}.event_id AND entity_id = ${p}.entity_id)`;
      return (
        `${unlink(`= ${p}.entity_id`, `IN ${participantsOf(`${p}.event_id`)}`, 'EVENT', `${p}.event_id`)} AND ${gone};\n    ` +
        `${unlink(`IN ${participantsOf(`${p}.event_id`)}`, `= ${p}.entity_id`, 'EVENT', `${p}.event_id`)} AND ${gone}`
      );
    },
    /** An event's rows: each ordered pair of distinct participants. */
    linkEvent: (e: string): string =>
      insert(
        `SELECT p1.entity_id, ${rankOfEntity('p2.entity_id')}, p2.entity_id, 'EVENT', ${e}.id, 1, ${e}.kind FROM event_participants p1 ` +
          `JOIN event_participants p2 ON p2.event_id = p1.event_id AND p2.entity_id <> p1.entity_id WHERE p1.event_id = ${e}.id`,
      ),
    unlinkEvent: (e: string): string => unlink(`IN ${participantsOf(`${e}.id`)}`, `IN ${participantsOf(`${e}.id`)}`, 'EVENT', `${e}.id`),
    /**
     * Move the rows that point at entity `id` from rank `from` to rank `to`,
     * found through the entity's own rows (every link is kept from both ends).
     */
    rerank: (id: string, from: string, to: string): string =>
      `UPDATE entity_adjacency SET rank = ${to} WHERE entity_id IN (SELECT neighbour_id FROM entity_adjacency WHERE entity_id = ${id}) AND rank = ${from} AND neighbour_id = ${id}`,
  };
}

/** How the kept-adjacency statements are written for one database. */
export interface KeptAdjacencyDialect {
  keyList?: KeyListStyle;
  /** Name the covering index of entity mention counts (`INDEXED BY`, SQLite only). */
  indexHints?: boolean;
  /** Keep the planner from probing the index with the `toIds` filter (SQLite's unary `+`). */
  filterAfterRead?: boolean;
}

const linkTypeFilter = (column: string, linkTypes: readonly LinkType[] | null | undefined): SqlStatement =>
  linkTypes && linkTypes.length > 0 && linkTypes.length < 3
    ? { sql: ` AND ${column} IN (${linkTypes.map(() => '?').join(', ')})`, params: [...linkTypes] }
    : { sql: '', params: [] };

/**
 * The entities (id, mention count) linked to any of `ids` whose rank is
 * between `lo` and `hi`: one index range per id and rank band.
 */
export function rankedNeighboursSql(
  ids: readonly string[],
  band: { lo: number; hi: number },
  linkTypes: readonly LinkType[] | null | undefined,
  dialect: KeptAdjacencyDialect = {},
): SqlStatement {
  const from = keyIn('a.entity_id', ids, dialect.keyList ?? 'in-list');
  const types = linkTypeFilter('a.link_type', linkTypes);
  const hint = dialect.indexHints ? ' INDEXED BY entities_mentions_by_id' : '';
  const range = band.lo === band.hi ? 'a.rank = ?' : 'a.rank BETWEEN ? AND ?';
  return {
    sql:
      `SELECT e.id AS id, e.mention_count AS mention_count FROM entities e${hint} WHERE e.id IN (` +
      `SELECT a.neighbour_id FROM entity_adjacency a WHERE ${from.sql} AND ${range}${types.sql})`,
    params: [...from.params, ...(band.lo === band.hi ? [band.lo] : [band.lo, band.hi]), ...types.params],
  };
}

/**
 * Links among the entities `ids` (each an end of the link), each read from
 * its end of lower rank (between ends of equal rank, from the lower id): the
 * rows of each entity whose other end ranks higher, or as high with a higher
 * id, kept when the other end is in `toIds`. Around a hub this reads its links
 * to other hubs, not its every link; and a link between two entities of one
 * rank (most of a neighbourhood's) is read once, not from both ends. So each
 * row is a link no other row of the statement is: at most `limit` rows.
 */
export function keptLinksAmongSql(
  ids: readonly string[],
  toIds: readonly string[] | null,
  linkTypes: readonly LinkType[] | null | undefined,
  dialect: KeptAdjacencyDialect = {},
  limit: number | null = null,
): SqlStatement {
  const style = dialect.keyList ?? 'in-list';
  const from = keyIn('e.id', ids, style);
  const to = toIds ? keyIn(dialect.filterAfterRead ? '+a.neighbour_id' : 'a.neighbour_id', toIds, style) : null;
  const types = linkTypeFilter('a.link_type', linkTypes);
  // The index the subgraph's node read uses too (SQLite migration 12): its pages are then read once for both.
  const hint = dialect.indexHints ? ' INDEXED BY entities_summary_by_id' : '';
  return {
    sql:
      'SELECT a.entity_id AS from_id, a.neighbour_id AS to_id, a.link_type AS link_type, a.link_id AS link_id, a.label AS label, a.outgoing AS outgoing ' +
      `FROM entities e${hint} JOIN entity_adjacency a ON a.entity_id = e.id AND a.rank >= ${linkRankSql('e.mention_count')} ` +
      `WHERE ${from.sql}${to ? ` AND ${to.sql}` : ''}${types.sql} AND (a.neighbour_id > a.entity_id OR ${rankAboveSql('a.rank', 'e.mention_count')})` +
      (limit != null ? ' LIMIT ?' : ''),
    params: [...from.params, ...(to ? to.params : []), ...types.params, ...(limit != null ? [limit] : [])],
  };
}

/**
 * Every link from the entities `ids` to a neighbouring entity (to one of
 * `toIds` when given), in no particular order, at most `limit`: one index
 * range per entity. Statement rows whose other end has rank 0 are checked to
 * be entities (a statement's subject may be an event).
 */
export function keptAdjacencySql(
  ids: readonly string[],
  options: { toIds: readonly string[] | null; linkTypes: readonly LinkType[] | null | undefined; limit: number | null },
  dialect: KeptAdjacencyDialect = {},
): SqlStatement {
  const style = dialect.keyList ?? 'in-list';
  const from = keyIn('a.entity_id', ids, style);
  const to = options.toIds ? keyIn(dialect.filterAfterRead ? '+a.neighbour_id' : 'a.neighbour_id', options.toIds, style) : null;
  const types = linkTypeFilter('a.link_type', options.linkTypes);
  return {
    sql:
      'SELECT a.entity_id AS from_id, a.neighbour_id AS to_id, a.link_type AS link_type, a.link_id AS link_id, a.label AS label, a.outgoing AS outgoing ' +
      `FROM entity_adjacency a WHERE ${from.sql}${to ? ` AND ${to.sql}` : ''}${types.sql} ` +
      "AND (a.rank > 0 OR a.link_type <> 'STATEMENT' OR EXISTS (SELECT 1 FROM entities x WHERE x.id = a.neighbour_id))" +
      (options.limit != null ? ' LIMIT ?' : ''),
    params: [...from.params, ...(to ? to.params : []), ...types.params, ...(options.limit != null ? [options.limit] : [])],
  };
}
