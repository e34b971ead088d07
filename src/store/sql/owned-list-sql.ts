/**
 * Faster plans for nested connections on graphs where some entities (hubs)
 * have tens of thousands of rows. First, an entity's relationships:
 * each owner's page is read in index order with a LIMIT (`relationships_source`
 * and `relationships_target` are ordered by `sort_key`), instead of numbering
 * every row of every owner with a window function; each count is a sum of
 * index range counts. Same rows, same order, same counts as the generic plan
 * in list-sql.ts (tests/store/owned-relationships.test.ts compares them; the
 * API tests run through these plans). Then lists read straight from an index
 * on their owner column (mentions, statements by speaker).
 */
import type { PageRequest, RelationshipListQuery } from '../lists.js';
import type { SqlStatement } from './list-sql.js';

/** True when this plan answers the query: no provenance filters (those use the generic plan). */
export function ownedRelationshipsApplies(query: RelationshipListQuery): boolean {
  const q = query as RelationshipListQuery & { method?: unknown; minConfidence?: unknown };
  return (q.method === null || q.method === undefined) && (q.minConfidence === null || q.minConfidence === undefined);
}

/**
 * Up to `first + 1` relationships per owner from each end, rows carrying
 * `owner`; unordered across the two ends: put each owner's rows in order with
 * `inListOrder`. (A relationship's `sort_key` is its id, unique, so the
 * per-end ORDER BY follows the index alone.)
 */
export function ownedRelationshipsPageSql(query: RelationshipListQuery, ownerIds: readonly string[], page: PageRequest): SqlStatement {
  const direction = query.direction ?? 'BOTH';
  const parts: string[] = [];
  const params: unknown[] = [];
  const limit = page.first + 1;
  const filter = (alias: string): string => {
    let sql = query.type ? ` AND ${alias}.type = ?` : '';
    if (page.after) sql += ` AND (${alias}.sort_key, ${alias}.id) > (?, ?)`;
    return sql;
  };
  const filterParams = (): unknown[] => [...(query.type ? [query.type] : []), ...(page.after ? [page.after.sortKey, page.after.id] : [])];
  for (const id of ownerIds) {
    const sides: string[] = [];
    if (direction !== 'INCOMING') {
      sides.push(`SELECT * FROM (SELECT r.*, ? AS owner FROM relationships r WHERE r.source_id = ?${filter('r')} ORDER BY r.sort_key LIMIT ?)`);
      params.push(id, id, ...filterParams(), limit);
    }
    if (direction !== 'OUTGOING') {
      const selfLoop = direction === 'BOTH' ? ' AND r.source_id <> r.target_id' : '';
      sides.push(`SELECT * FROM (SELECT r.*, ? AS owner FROM relationships r WHERE r.target_id = ?${selfLoop}${filter('r')} ORDER BY r.sort_key LIMIT ?)`);
      params.push(id, id, ...filterParams(), limit);
    }
    parts.push(sides.join(' UNION ALL '));
  }
  return { sql: parts.join(' UNION ALL '), params };
}

/** Relationship counts per owner, from index range counts. */
export function ownedRelationshipsCountSql(query: RelationshipListQuery, ownerIds: readonly string[]): SqlStatement {
  const direction = query.direction ?? 'BOTH';
  const type = query.type ? ' AND type = ?' : '';
  const typeParams = query.type ? [query.type] : [];
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const id of ownerIds) {
    const terms: string[] = [];
    const termParams: unknown[] = [];
    if (direction !== 'INCOMING') {
      terms.push(`(SELECT COUNT(*) FROM relationships WHERE source_id = ?${type})`);
      termParams.push(id, ...typeParams);
    }
    if (direction !== 'OUTGOING') {
      terms.push(`(SELECT COUNT(*) FROM relationships WHERE target_id = ?${type})`);
      termParams.push(id, ...typeParams);
    }
    if (direction === 'BOTH') {
      // A self-loop is counted once, as in the page.
      terms.push(`- (SELECT COUNT(*) FROM relationships WHERE source_id = ? AND target_id = ?${type})`);
      termParams.push(id, id, ...typeParams);
    }
    parts.push(`SELECT ? AS owner, ${terms.join(' + ').replace('+ -', '-')} AS n`);
    params.push(id, ...termParams);
  }
  return { sql: parts.join(' UNION ALL '), params };
}

/** Rows in list order, `(sort_key, id)`, compared as SQLite compares text (by code unit, as BINARY collation does for UTF-8 of BMP text). */
export function inListOrder<Row extends Record<string, unknown>>(rows: Row[]): Row[] {
  const key = (r: Row): [string, string] => [String(r.sort_key), String(r.id)];
  return rows.sort((a, b) => {
    const [ak, ai] = key(a);
    const [bk, bi] = key(b);
    return Buffer.compare(Buffer.from(ak), Buffer.from(bk)) || Buffer.compare(Buffer.from(ai), Buffer.from(bi));
  });
}

/**
 * Nested lists read straight from an index ordered `(owner column, sort_key, id)`:
 * a mention list by entity or document, a statement list by speaker. Applies
 * only when the query has no filter but the owner (other filters use the
 * generic plan).
 */
const INDEXED_OWNERS: Record<string, Record<string, { table: string; column: string }>> = {
  mentions: { entity: { table: 'mentions', column: 'entity_id' }, document: { table: 'mentions', column: 'document_id' } },
  statements: { speaker: { table: 'statements', column: 'speaker_id' } },
};

/** The table and owner column when `indexedOwnerPageSql` answers this nested list; else null. */
export function indexedOwner(query: { list: string }, owner: string): { table: string; column: string } | null {
  const target = INDEXED_OWNERS[query.list]?.[owner];
  if (!target) return null;
  const unfiltered = Object.entries(query).every(([key, value]) => key === 'list' || value === null || value === undefined);
  return unfiltered ? target : null;
}

/** Up to `first + 1` rows per owner, each owner's rows in index order; rows carry `owner`. */
export function indexedOwnerPageSql(target: { table: string; column: string }, ownerIds: readonly string[], page: PageRequest): SqlStatement {
  const after = page.after ? ' AND (t.sort_key, t.id) > (?, ?)' : '';
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const id of ownerIds) {
    parts.push(`SELECT * FROM (SELECT t.*, ? AS owner FROM ${target.table} t WHERE t.${target.column} = ?${after} ORDER BY t.sort_key, t.id LIMIT ?)`);
    params.push(id, id, ...(page.after ? [page.after.sortKey, page.after.id] : []), page.first + 1);
  }
  return { sql: parts.join(' UNION ALL '), params };
}

/** Row counts per owner from the owner column's index. */
export function indexedOwnerCountSql(target: { table: string; column: string }, ownerIds: readonly string[]): SqlStatement {
  return {
    sql: ownerIds.map(() => `SELECT ? AS owner, (SELECT COUNT(*) FROM ${target.table} WHERE ${target.column} = ?) AS n`).join(' UNION ALL '),
    params: ownerIds.flatMap((id) => [id, id]),
  };
}

/**
 * Counts of lists joined through a link table (statements about an entity,
 * events an entity takes part in): distinct ids from the link table's index,
 * each checked against the list's primary key, instead of de-duplicating
 * whole rows. Only without filters besides the owner. (Unfiltered counts
 * of an entity's lists read its kept counts first: entity-counts-sql.ts.)
 */
export const LINKED_COUNTS: Record<string, Record<string, string>> = {
  statements: {
    about: 'SELECT COUNT(DISTINCT l.statement_id) FROM statement_subjects l JOIN statements t ON t.id = l.statement_id WHERE l.subject_id = ?',
  },
  events: {
    participant: 'SELECT COUNT(DISTINCT l.event_id) FROM event_participants l JOIN events t ON t.id = l.event_id WHERE l.entity_id = ?',
  },
};

/** Counts per owner for a linked list, or null when this plan does not answer the query. */
export function linkedCountSql(query: { list: string }, owner: string, ownerIds: readonly string[]): SqlStatement | null {
  const count = LINKED_COUNTS[query.list]?.[owner];
  if (!count || !Object.entries(query).every(([key, value]) => key === 'list' || value === null || value === undefined)) return null;
  return { sql: ownerIds.map(() => `SELECT ? AS owner, (${count}) AS n`).join(' UNION ALL '), params: ownerIds.flatMap((id) => [id, id]) };
}
