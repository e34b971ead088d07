/**
 * SQL for paging through lists, shared by the SQL backends. Statements use `?`
 * placeholders; a backend whose driver wants another style rewrites them.
 *
 * Every list table has a `sort_key` column; lists are ordered by
 * `(sort_key, id)` and paged by keyset (`(sort_key, id) > (?, ?)`), so a page
 * costs the same at any depth.
 */
import { CursorError } from '../cursor.js';
import type { ListPosition, ListQuery, OwnerField, PageRequest, ProvenanceFilter } from '../lists.js';

/** A statement and its parameters. */
export interface SqlStatement {
  sql: string;
  params: unknown[];
}

/** `n` positional placeholders, `?, ?, …` ('' for none). perf: `repeat`, ten times cheaper than building an array. */
export const placeholders = (n: number): string => (n > 0 ? '?, '.repeat(n - 1) + '?' : '');

/**
 * How a statement binds a list of keys. `in-list`: `IN (?, ?, …)`, one
 * parameter per key, which every SQL database understands. `any-array`:
 * `= ANY(?)` with one array parameter (PostgreSQL), so that the statement's
 * text does not depend on the number of keys and can be prepared once.
 */
export type KeyListStyle = 'in-list' | 'any-array';

/** Options of the list statements. */
export interface ListSqlOptions {
  /** Default `in-list`. */
  keyList?: KeyListStyle;
}

/** `column` is one of `keys`, in the given style. */
export function keyIn(column: string, keys: readonly string[], style: KeyListStyle = 'in-list'): SqlStatement {
  return style === 'any-array'
    ? { sql: `${column} = ANY(?)`, params: [[...keys]] }
    : { sql: `${column} IN (${placeholders(keys.length)})`, params: [...keys] };
}

/**
 * The list's rows as a sub-select of `t.*` (plus `owner` when batched by owner).
 * `inListOrder`: the rows will be read in list order (a page), so bounds that
 * let an index give that order are worth adding; counts leave them out (they
 * would take the planner off a covering index).
 * @throws Error when the list cannot be batched by that owner (a bug of ours).
 */
export function listBase(
  query: ListQuery,
  owner?: { field: OwnerField; ids: readonly string[]; keyList?: KeyListStyle },
  { inListOrder = false }: { inListOrder?: boolean } = {},
): SqlStatement {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, ...values: unknown[]): void => {
    where.push(clause);
    params.push(...values);
  };
  const ownerIn = (column: string): string => keyIn(column, owner!.ids, owner!.keyList).sql;
  const ownerKeys = (): unknown[] => keyIn('', owner!.ids, owner!.keyList).params;
  let from: string;
  let ownerParams: unknown[] = [];
  const badOwner = (): never => {
    throw new Error(`list ${query.list} cannot be batched by ${owner?.field}`);
  };

  if ('minConfidence' in query || 'method' in query) {
    const q = query as ProvenanceFilter;
    if (q.method) add('t.method = ?', q.method);
    if (q.minConfidence !== null && q.minConfidence !== undefined) add('t.confidence >= ?', q.minConfidence);
  }
  switch (query.list) {
    case 'entities': {
      if (owner) badOwner();
      from = 'SELECT t.* FROM entities t';
      if (query.type) add('t.type = ?', query.type);
      if (query.kind) add('t.kind = ?', query.kind);
      if (query.namePrefix) {
        // A range on the normalised name (and on every alias), so indexes serve it.
        const low = query.namePrefix;
        const high = `${query.namePrefix}\u{10FFFF}`;
        add(
          '((t.sort_key >= ? AND t.sort_key < ?) OR EXISTS (SELECT 1 FROM aliases a WHERE a.entity_id = t.id AND a.norm >= ? AND a.norm < ?))',
          low,
          high,
          low,
          high,
        );
      }
      break;
    }
    case 'events': {
      if (owner && owner.field !== 'participant') badOwner();
      from = owner
        ? `SELECT DISTINCT t.*, p.entity_id AS owner FROM events t JOIN event_participants p ON p.event_id = t.id AND ${ownerIn('p.entity_id')}`
        : 'SELECT t.* FROM events t';
      if (owner) ownerParams = ownerKeys();
      // perf: bounds implied by the filters, on `earliest` and, for pages, on `sort_key` (`earliest|latest`,
      // tables.ts), so that a page reads the `events_sort` index in order from the period or bucket instead of sorting it.
      if (query.from) {
        add('t.latest >= ?', query.from);
        // Implied by the line above, because a partial date lies within one calendar year (partial-date.ts):
        // `latest >= from` ⇒ the event's year ≥ from's year ⇒ `earliest >=` 1 January of from's year. It lets an
        // index on `earliest` (SQLite migration 6), or `events_sort`, bound the scan to the period instead of every event.
        add('t.earliest >= ?', yearStart(query.from));
        if (inListOrder) add('t.sort_key >= ?', yearStart(query.from));
      }
      if (query.to) {
        add('t.earliest <= ?', query.to);
        // `earliest <= to` ⇒ `earliest|latest < to + '}'` ('|' < '}').
        if (inListOrder) add('t.sort_key < ?', `${query.to}}`);
      }
      if (query.kind) add('t.kind = ?', query.kind);
      const prefix = inListOrder ? datePrefix(query.year, query.month) : null;
      if (prefix) {
        // A dated event's earliest day lies in its year and month (partial-date.ts): its sort key starts with them.
        // The unary plus keeps the planner on this range (in list order) rather than on `events_period`.
        add('t.sort_key >= ? AND t.sort_key < ?', `${prefix}-`, `${prefix}.`);
        if (query.year != null) add('+t.year = ?', query.year);
        if (query.month != null) add('+t.month = ?', query.month);
      } else {
        if (query.year != null) add('t.year = ?', query.year);
        if (query.month != null) add('t.month = ?', query.month);
      }
      if (query.precisions && query.precisions.length > 0) {
        add(`t.precision IN (${placeholders(query.precisions.length)})`, ...query.precisions);
      }
      if (query.participant && !owner) {
        add('EXISTS (SELECT 1 FROM event_participants p WHERE p.event_id = t.id AND p.entity_id = ?)', query.participant);
      }
      break;
    }
    case 'statements': {
      if (!owner) from = 'SELECT t.* FROM statements t';
      else if (owner.field === 'speaker') from = `SELECT t.*, t.speaker_id AS owner FROM statements t WHERE ${ownerIn('t.speaker_id')}`;
      else if (owner.field === 'about') {
        from = `SELECT DISTINCT t.*, s.subject_id AS owner FROM statements t JOIN statement_subjects s ON s.statement_id = t.id AND ${ownerIn('s.subject_id')}`;
      } else if (owner.field === 'event') {
        from =
          'SELECT DISTINCT t.*, x.owner AS owner FROM statements t JOIN (' +
          'SELECT statement_id, subject_id AS owner FROM statement_subjects UNION ' +
          'SELECT id AS statement_id, occasion_id AS owner FROM statements WHERE occasion_id IS NOT NULL' +
          `) x ON x.statement_id = t.id AND ${ownerIn('x.owner')}`;
      } else from = badOwner();
      if (owner) ownerParams = ownerKeys();
      if (query.speaker && owner?.field !== 'speaker') add('t.speaker_id = ?', query.speaker);
      if (query.kind) add('t.kind = ?', query.kind);
      if (query.attribution) add('t.attribution = ?', query.attribution);
      if (query.document) add('t.document_id = ?', query.document);
      if (query.about && owner?.field !== 'about') {
        add('EXISTS (SELECT 1 FROM statement_subjects s2 WHERE s2.statement_id = t.id AND s2.subject_id = ?)', query.about);
      }
      if (query.event && owner?.field !== 'event') {
        add(
          '(t.occasion_id = ? OR EXISTS (SELECT 1 FROM statement_subjects s3 WHERE s3.statement_id = t.id AND s3.subject_id = ?))',
          query.event,
          query.event,
        );
      }
      break;
    }
    case 'relationships': {
      const direction = query.direction ?? 'BOTH';
      if (owner) {
        if (owner.field !== 'entity') badOwner();
        const parts: string[] = [];
        if (direction !== 'INCOMING') {
          parts.push(`SELECT r.*, r.source_id AS owner FROM relationships r WHERE ${ownerIn('r.source_id')}`);
          ownerParams.push(...ownerKeys());
        }
        if (direction !== 'OUTGOING') {
          const selfLoop = direction === 'BOTH' ? ' AND r.source_id <> r.target_id' : '';
          parts.push(`SELECT r.*, r.target_id AS owner FROM relationships r WHERE ${ownerIn('r.target_id')}${selfLoop}`);
          ownerParams.push(...ownerKeys());
        }
        from = `SELECT t.* FROM (${parts.join(' UNION ALL ')}) t`;
      } else {
        from = 'SELECT t.* FROM relationships t';
        if (query.entity) {
          if (direction === 'OUTGOING') add('t.source_id = ?', query.entity);
          else if (direction === 'INCOMING') add('t.target_id = ?', query.entity);
          else add('(t.source_id = ? OR t.target_id = ?)', query.entity, query.entity);
        }
      }
      if (query.type) add('t.type = ?', query.type);
      break;
    }
    case 'mentions': {
      if (owner && owner.field !== 'entity' && owner.field !== 'document') badOwner();
      const column = owner?.field === 'document' ? 't.document_id' : 't.entity_id';
      from = owner ? `SELECT t.*, ${column} AS owner FROM mentions t WHERE ${ownerIn(column)}` : 'SELECT t.* FROM mentions t';
      if (owner) ownerParams = ownerKeys();
      if (query.entity && owner?.field !== 'entity') add('t.entity_id = ?', query.entity);
      if (query.document && owner?.field !== 'document') add('t.document_id = ?', query.document);
      break;
    }
    case 'documents': {
      if (owner) badOwner();
      from = 'SELECT t.* FROM documents t';
      break;
    }
    case 'audit': {
      if (owner) badOwner();
      from = 'SELECT t.* FROM audit_log t';
      if (query.subject) add('t.subject_id = ?', query.subject);
      if (query.actor) add('t.actor = ?', query.actor);
      break;
    }
  }
  // Filters apply to the outer rows so that they compose with any owner join.
  const sql = where.length === 0 ? from : `SELECT * FROM (${from}) t WHERE ${where.join(' AND ')}`;
  return { sql, params: [...ownerParams, ...params] };
}

/** A column a list is ordered by (before the final `id` ascending). */
export interface OrderColumn {
  column: string;
  desc: boolean;
  numeric: boolean;
}

const BY_SORT_KEY: readonly OrderColumn[] = [{ column: 'sort_key', desc: false, numeric: false }];

/**
 * The order of a list: columns, then `id` ascending. Every list is ordered by
 * its `sort_key` except entities ordered by MENTIONS or DEGREE (highest first,
 * then by name), which are indexed on `(column DESC, sort_key, id)`.
 */
export function listOrdering(query: ListQuery): readonly OrderColumn[] {
  if (query.list === 'entities' && query.orderBy === 'MENTIONS') {
    return [{ column: 'mention_count', desc: true, numeric: true }, ...BY_SORT_KEY];
  }
  if (query.list === 'entities' && query.orderBy === 'DEGREE') {
    return [{ column: 'degree', desc: true, numeric: true }, ...BY_SORT_KEY];
  }
  return BY_SORT_KEY;
}

/**
 * The position of a row in its list: the sort key for single-key orders, and
 * a JSON array of the order's values for composite ones (so the cursor holds
 * every column the keyset compares).
 */
export function listPosition(query: ListQuery, row: Record<string, unknown>): ListPosition {
  const ordering = listOrdering(query);
  if (ordering.length === 1) return { sortKey: String(row[ordering[0]!.column]), id: String(row.id) };
  const values = ordering.map((c) => (c.numeric ? Number(row[c.column]) : String(row[c.column])));
  return { sortKey: JSON.stringify(values), id: String(row.id) };
}

/** The values of a position, checked against the ordering (a cursor of another order is malformed here). */
function positionValues(ordering: readonly OrderColumn[], position: ListPosition): unknown[] {
  if (ordering.length === 1) return [position.sortKey];
  let values: unknown;
  try {
    values = JSON.parse(position.sortKey);
  } catch {
    values = null;
  }
  const ok =
    Array.isArray(values) &&
    values.length === ordering.length &&
    ordering.every((c, i) => (c.numeric ? Number.isFinite(values[i]) : typeof values[i] === 'string'));
  if (!ok) throw new CursorError(position.sortKey);
  return values as unknown[];
}

function afterClause(query: ListQuery, page: PageRequest, alias: string): SqlStatement {
  if (!page.after) return { sql: '', params: [] };
  const ordering = listOrdering(query);
  const values = positionValues(ordering, page.after);
  if (ordering.length === 1 && !ordering[0]!.desc) {
    const column = ordering[0]!.column;
    return { sql: ` WHERE (${alias}.${column}, ${alias}.id) > (?, ?)`, params: [page.after.sortKey, page.after.id] };
  }
  // Lexicographic keyset over mixed directions:
  // (c1 beyond v1) OR (c1 = v1 AND c2 beyond v2) OR … OR (all equal AND id > v).
  const columns = [...ordering, { column: 'id', desc: false, numeric: false }];
  const all = [...values, page.after.id];
  const terms: string[] = [];
  const params: unknown[] = [];
  columns.forEach((c, i) => {
    const eq = columns.slice(0, i).map((p) => `${alias}.${p.column} = ?`);
    terms.push(`(${[...eq, `${alias}.${c.column} ${c.desc ? '<' : '>'} ?`].join(' AND ')})`);
    params.push(...all.slice(0, i), all[i]);
  });
  return { sql: ` WHERE (${terms.join(' OR ')})`, params };
}

function orderBy(query: ListQuery, alias: string): string {
  return [...listOrdering(query).map((c) => `${alias}.${c.column}${c.desc ? ' DESC' : ''}`), `${alias}.id`].join(', ');
}

/** One page: `first + 1` rows after the cursor, so the caller knows if more follow. */
export function listPageSql(query: ListQuery, page: PageRequest): SqlStatement {
  const base = listBase(query, undefined, { inListOrder: true });
  const after = afterClause(query, page, 'b');
  return {
    sql: `SELECT b.* FROM (${base.sql}) b${after.sql} ORDER BY ${orderBy(query, 'b')} LIMIT ?`,
    params: [...base.params, ...after.params, page.first + 1],
  };
}

/** The list's size. */
export function listCountSql(query: ListQuery): SqlStatement {
  const base = listBase(query);
  return { sql: `SELECT COUNT(*) AS n FROM (${base.sql}) b`, params: base.params };
}

/** Up to `first + 1` rows per owner, numbered within each owner. */
export function listPagesByOwnerSql(
  query: ListQuery,
  owner: OwnerField,
  ownerIds: readonly string[],
  page: PageRequest,
  options: ListSqlOptions = {},
): SqlStatement {
  const base = listBase(query, { field: owner, ids: ownerIds, ...options });
  const after = afterClause(query, page, 'b');
  return {
    sql:
      `SELECT * FROM (SELECT b.*, ROW_NUMBER() OVER (PARTITION BY b.owner ORDER BY ${orderBy(query, 'b')}) AS rn ` +
      `FROM (${base.sql}) b${after.sql}) n WHERE n.rn <= ? ORDER BY n.owner, ${orderBy(query, 'n')}`,
    params: [...base.params, ...after.params, page.first + 1],
  };
}

/** Row counts per owner. */
export function listCountsByOwnerSql(
  query: ListQuery,
  owner: OwnerField,
  ownerIds: readonly string[],
  options: ListSqlOptions = {},
): SqlStatement {
  const base = listBase(query, { field: owner, ids: ownerIds, ...options });
  return { sql: `SELECT b.owner AS owner, COUNT(*) AS n FROM (${base.sql}) b GROUP BY b.owner`, params: base.params };
}

/** `YYYY` or `YYYY-MM`, the start of the dates of a year (and month), or null when not a four-digit year (and month). */
function datePrefix(year: number | null | undefined, month: number | null | undefined): string | null {
  if (year == null || !Number.isInteger(year) || year < 0 || year > 9999) return null;
  const y = String(year).padStart(4, '0');
  if (month == null) return y;
  return Number.isInteger(month) && month >= 1 && month <= 12 ? `${y}-${String(month).padStart(2, '0')}` : null;
}

/** 1 January of the day's year, as a `YYYY-MM-DD` string (for range bounds only). */
function yearStart(day: string): string {
  const year = Number(day.slice(0, 4));
  return Number.isInteger(year) && year >= 0 ? `${day.slice(0, 4)}-01-01` : '0000-01-01';
}
