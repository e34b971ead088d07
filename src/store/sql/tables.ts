/**
 * The tables of the SQL backends and how their columns map to row fields.
 * One description serves both directions: rows are written with
 * `insertSql`/`rowValues` and read back with `fromSqlRow`.
 */
import { normalizeName } from '../../graph/normalize.js';
import type { GraphData } from '../types.js';

type Kind = 'text' | 'int' | 'real' | 'bool';
/** A column: its SQL name, the row field it holds, and its kind. */
interface Column {
  name: string;
  field: string;
  kind: Kind;
}

const col = (name: string, field: string, kind: Kind = 'text'): Column => ({ name, field, kind });
const seed = col('seed', 'seed', 'bool');
const provenance = [col('method', 'method'), col('confidence', 'confidence', 'real'), col('extractor', 'extractor'), seed];
const dateColumns = [
  col('date_text', 'dateText'),
  col('year', 'year', 'int'),
  col('month', 'month', 'int'),
  col('day', 'day', 'int'),
  col('precision', 'precision'),
  col('date_inferred', 'dateInferred', 'bool'),
  col('date_inferred_from', 'dateInferredFrom'),
  col('earliest', 'earliest'),
  col('latest', 'latest'),
];
const span = [
  col('document_id', 'documentId'),
  col('start_offset', 'start', 'int'),
  col('end_offset', 'end', 'int'),
  col('exact', 'exact'),
  col('prefix', 'prefix'),
  col('suffix', 'suffix'),
];

/** Table name and columns, by the `GraphData` key that fills it. */
export const TABLES = {
  documents: {
    table: 'documents',
    columns: [
      col('id', 'id'),
      col('title', 'title'),
      col('text', 'text'),
      col('length', 'length', 'int'),
      col('url', 'url'),
      col('published_on', 'publishedOn'),
      col('publisher_id', 'publisherId'),
      col('content_hash', 'contentHash'),
      seed,
      col('extractor', 'extractor'),
      col('ingested_at', 'ingestedAt'),
    ],
  },
  entities: {
    table: 'entities',
    columns: [
      col('id', 'id'),
      col('type', 'type'),
      col('kind', 'kind'),
      col('name', 'name'),
      col('title', 'title'),
      col('description', 'description'),
      col('mention_count', 'mentionCount', 'int'),
      ...provenance,
      col('degree', 'degree', 'int'),
    ],
  },
  aliases: {
    table: 'aliases',
    columns: [
      col('entity_id', 'entityId'),
      col('name', 'name'),
      col('norm', 'norm'),
      col('source', 'source'),
      col('ord', 'ord', 'int'),
      seed,
    ],
  },
  evidence: { table: 'evidence', columns: [col('owner_id', 'ownerId'), col('ord', 'ord', 'int'), ...span, seed] },
  mentions: { table: 'mentions', columns: [col('id', 'id'), col('entity_id', 'entityId'), ...span, ...provenance] },
  events: {
    table: 'events',
    columns: [
      col('id', 'id'),
      col('name', 'name'),
      col('kind', 'kind'),
      col('description', 'description'),
      col('place_id', 'placeId'),
      ...dateColumns,
      seed,
    ],
  },
  participants: {
    table: 'event_participants',
    columns: [col('id', 'id'), col('event_id', 'eventId'), col('entity_id', 'entityId'), col('role', 'role'), col('ord', 'ord', 'int'), seed],
  },
  statements: {
    table: 'statements',
    columns: [
      col('id', 'id'),
      col('kind', 'kind'),
      col('text', 'text'),
      col('attribution', 'attribution'),
      col('speaker_id', 'speakerId'),
      col('occasion_id', 'occasionId'),
      col('document_id', 'documentId'),
      col('position', 'position', 'int'),
      ...provenance,
    ],
  },
  statementSubjects: {
    table: 'statement_subjects',
    columns: [col('statement_id', 'statementId'), col('subject_id', 'subjectId'), col('ord', 'ord', 'int'), seed],
  },
  relationships: {
    table: 'relationships',
    columns: [
      col('id', 'id'),
      col('type', 'type'),
      col('source_id', 'sourceId'),
      col('target_id', 'targetId'),
      col('description', 'description'),
      col('inferred', 'inferred', 'bool'),
      col('inferred_from', 'inferredFrom'),
      ...provenance,
    ],
  },
} as const satisfies Record<keyof GraphData | 'entities', { table: string; columns: Column[] }>;

/** Tables the seed build does not write: extracted dates, redirects, the audit log. */
export const EXTRA_TABLES = {
  dateMentions: {
    table: 'date_mentions',
    columns: [col('id', 'id'), ...span, ...dateColumns, ...provenance],
  },
  redirects: { table: 'entity_redirects', columns: [col('from_id', 'fromId'), col('to_id', 'toId')] },
  audit: {
    table: 'audit_log',
    columns: [
      col('id', 'id'),
      col('at', 'at'),
      col('actor', 'actor'),
      col('action', 'action'),
      col('subject_id', 'subjectId'),
      col('before', 'before'),
      col('after', 'after'),
    ],
  },
} as const;

/** A table description from `TABLES` or `EXTRA_TABLES`. */
export type TableSpec = (typeof TABLES)[keyof typeof TABLES] | (typeof EXTRA_TABLES)[keyof typeof EXTRA_TABLES];

/**
 * The sort key of each list table, as an SQL expression over its columns,
 * stored in the table's `sort_key` column when rows are written. Lists are
 * ordered by `(sort_key, id)`.
 */
export const SORT_KEYS: Partial<Record<keyof typeof TABLES | keyof typeof EXTRA_TABLES, (row: Record<string, unknown>) => string>> = {
  documents: (r) => String(r.id),
  entities: (r) => normalizeName(String(r.name)),
  // Undated events sort after every date.
  events: (r) => (r.earliest ? `${String(r.earliest)}|${String(r.latest)}` : '~'),
  statements: (r) => `${String(r.documentId)}|${String(r.position).padStart(9, '0')}`,
  relationships: (r) => String(r.id),
  mentions: (r) => `${String(r.documentId)}|${String(r.start).padStart(9, '0')}`,
  dateMentions: (r) => `${String(r.documentId)}|${String(r.start).padStart(9, '0')}`,
  audit: (r) => String(r.id).slice('audit:'.length).padStart(12, '0'),
};

/** `INSERT INTO table (cols…, sort_key?) VALUES (?, …)`. */
export function insertSql(spec: TableSpec, withSortKey: boolean): string {
  const names = spec.columns.map((c) => c.name);
  if (withSortKey) names.push('sort_key');
  return `INSERT INTO ${spec.table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`;
}

/** The values of a row in column order (booleans as 0/1). */
export function rowValues(spec: TableSpec, row: object, sortKey?: string): unknown[] {
  const r = row as Record<string, unknown>;
  const values = spec.columns.map((c) => {
    const v = r[c.field];
    if (c.kind === 'bool') return v ? 1 : 0;
    return v ?? null;
  });
  if (sortKey !== undefined) values.push(sortKey);
  return values;
}

/** Map a database row (snake_case columns) to a row object. */
export function fromSqlRow<T>(spec: TableSpec, sqlRow: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const c of spec.columns) {
    const v = sqlRow[c.name];
    out[c.field] =
      c.kind === 'bool' ? Boolean(v) : (c.kind === 'int' || c.kind === 'real') && v !== null && v !== undefined ? Number(v) : v;
  }
  return out as T;
}
