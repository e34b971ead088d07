/**
 * Per-entity counts kept beside each entity row, shared by the SQL backends
 * (`?` placeholders, as in `list-sql.ts`): `degree` (relationships at either
 * end), `mention_count`, and, since SQLite migration 8 / PostgreSQL migration
 * 6, `statements_about_count` (distinct statements naming the entity as a
 * subject) and `event_count` (distinct events it takes part in). Triggers
 * record the entities whose links changed in `dirty`; the write's
 * `syncDerived` recounts them with `recountLinkedSql`, so an unfiltered
 * `totalCount` of an entity's connections reads one row, hubs included.
 */
import type { ListQuery, OwnerField, RelationshipListQuery } from '../lists.js';
import { placeholders, type SqlStatement } from './list-sql.js';
import { LINKED_COUNTS } from './owned-list-sql.js';


/** Distinct statements about `entities.id` (the statement must exist), as the `statementsAbout` list counts them. */
const STATEMENTS_ABOUT =
  'SELECT COUNT(DISTINCT l.statement_id) FROM statement_subjects l JOIN statements s ON s.id = l.statement_id WHERE l.subject_id = entities.id';
/** Distinct events `entities.id` takes part in (the event must exist), as the `events` list of an entity counts them. */
const EVENTS = 'SELECT COUNT(DISTINCT l.event_id) FROM event_participants l JOIN events v ON v.id = l.event_id WHERE l.entity_id = entities.id';

/** Recount the statements about, and the events of, the given entities. */
export function recountLinkedSql(ids: readonly string[]): SqlStatement {
  return {
    sql: `UPDATE entities SET statements_about_count = (${STATEMENTS_ABOUT}), event_count = (${EVENTS}) WHERE id IN (${placeholders(ids.length)})`,
    params: [...ids],
  };
}

/**
 * Recount both counts of every entity from grouped link tables (one pass over
 * each, for a bulk load or a migration), without the per-entity subqueries.
 * Statements in the order given; SQLite and PostgreSQL both accept them.
 */
export const RECOUNT_ALL_LINKED_SQL: readonly string[] = [
  'UPDATE entities SET statements_about_count = 0, event_count = 0 WHERE statements_about_count <> 0 OR event_count <> 0',
  'UPDATE entities SET statements_about_count = c.n FROM (SELECT l.subject_id AS id, COUNT(DISTINCT l.statement_id) AS n ' +
    'FROM statement_subjects l JOIN statements s ON s.id = l.statement_id GROUP BY l.subject_id) c WHERE c.id = entities.id',
  'UPDATE entities SET event_count = c.n FROM (SELECT l.entity_id AS id, COUNT(DISTINCT l.event_id) AS n ' +
    'FROM event_participants l JOIN events v ON v.id = l.event_id GROUP BY l.entity_id) c WHERE c.id = entities.id',
];

/** The kept column that counts this nested list, or null when the list has a filter a kept count does not know. */
export function keptCountColumn(query: ListQuery, owner: OwnerField): string | null {
  const unfiltered = (q: object, allowed: readonly string[] = []): boolean =>
    Object.entries(q).every(([key, value]) => key === 'list' || allowed.includes(key) || value === null || value === undefined);
  if (query.list === 'relationships' && owner === 'entity') {
    // degree counts both ends, a self-loop once: the BOTH list without a type or provenance filter.
    const direction = (query as RelationshipListQuery).direction ?? 'BOTH';
    return direction === 'BOTH' && unfiltered(query, ['direction']) ? 'degree' : null;
  }
  if (query.list === 'mentions' && owner === 'entity') return unfiltered(query) ? 'mention_count' : null;
  if (query.list === 'statements' && owner === 'about') return unfiltered(query) ? 'statements_about_count' : null;
  if (query.list === 'events' && owner === 'participant') return unfiltered(query) ? 'event_count' : null;
  return null;
}

/**
 * Counts per owner read from the entity row's kept count; an owner that is
 * not an entity row falls back to counting (`fallback`, one scalar
 * subquery per owner taking the owner id once, which COALESCE reaches only
 * then). Null when no kept count answers the query.
 */
export function keptCountSql(query: ListQuery, owner: OwnerField, ownerIds: readonly string[]): SqlStatement | null {
  const column = keptCountColumn(query, owner);
  if (!column) return null;
  const fallback = FALLBACKS[column]!;
  return {
    sql: ownerIds.map(() => `SELECT ? AS owner, COALESCE((SELECT e.${column} FROM entities e WHERE e.id = ?), (${fallback})) AS n`).join(' UNION ALL '),
    params: ownerIds.flatMap((id) => [id, id, ...fallback.match(/\?/g)!.map(() => id)]),
  };
}

/** Counts for an owner without an entity row (not expected; kept for safety), each `?` the owner id. */
const FALLBACKS: Record<string, string> = {
  degree: '(SELECT COUNT(*) FROM relationships WHERE source_id = ?) + (SELECT COUNT(*) FROM relationships WHERE target_id = ? AND source_id <> target_id)',
  mention_count: 'SELECT COUNT(*) FROM mentions WHERE entity_id = ?',
  statements_about_count: LINKED_COUNTS.statements!.about!,
  event_count: LINKED_COUNTS.events!.participant!,
};
