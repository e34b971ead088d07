/**
 * Rows of a bulk load, ready to bind: `toBulkBatch` maps a `GraphData` batch
 * to each table's values in column order, the full-text index rows and the
 * sentence spans. Pure and free of the database driver, so that a worker
 * thread can run it beside the generator and post the result to the thread
 * that writes (`sqlite-bulk-load.ts`).
 */
import { sentenceSpans } from '../../graph/sentences.js';
import { searchIndexRows } from '../sql/search-index.js';
import { SORT_KEYS, TABLES } from '../sql/tables.js';
import { SEED_PROVENANCE, type GraphData } from '../types.js';

/** A `GraphData` key (and `TABLES` key). */
export type TableKey = keyof typeof TABLES;
/** The tables, in the order they are written. */
export const TABLE_KEYS = Object.keys(TABLES) as TableKey[];

/**
 * Rows ready to bind, each list flat (row after row): per table, each row's
 * values in the order of its `BULK_TABLES` INSERT's parameters (`width` per
 * row); the full-text index rows as subject id, subject type, name, body; the
 * sentence spans as document id, ord, start, end.
 */
export interface BulkBatch {
  tables: Record<TableKey, unknown[]>;
  search: string[];
  sentences: unknown[];
  /** Documents in the batch (for progress reports). */
  documents: number;
}

/**
 * The value every bulk-loaded row has in these fields: the rows are owned by
 * the build like the seed build's (`SEED_PROVENANCE`), not ingested, and entity
 * counts are filled in after the load. `GraphData` rows never carry them.
 */
const CONSTANT_FIELDS: Readonly<Record<string, string | number | null>> = {
  method: SEED_PROVENANCE.method,
  confidence: SEED_PROVENANCE.confidence,
  extractor: SEED_PROVENANCE.extractor,
  seed: SEED_PROVENANCE.seed ? 1 : 0,
  ingestedAt: null,
  mentionCount: 0,
  degree: 0,
};

function sqlLiteral(value: string | number | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') return String(value);
  return `'${value.replace(/'/g, "''")}'`;
}

/** How one table's rows are bound: the fields bound per row (bools as 0/1), in order, and the INSERT. */
export interface BulkTable {
  /** The SQL table. */
  table: string;
  fields: { field: string; bool: boolean }[];
  /** Values bound per row: the fields, and the sort key if the table has one. */
  width: number;
  sortKey: ((row: Record<string, unknown>) => string) | undefined;
  sql: string;
}

/** Per table: the fields bound per row and the INSERT with the shared columns as literals. */
export const BULK_TABLES = Object.fromEntries(
  TABLE_KEYS.map((key) => {
    const spec = TABLES[key];
    const sortKey = SORT_KEYS[key];
    const names: string[] = [];
    const values: string[] = [];
    const fields: BulkTable['fields'] = [];
    for (const c of spec.columns) {
      names.push(c.name);
      if (Object.hasOwn(CONSTANT_FIELDS, c.field)) values.push(sqlLiteral(CONSTANT_FIELDS[c.field]!));
      else {
        values.push('?');
        fields.push({ field: c.field, bool: c.kind === 'bool' });
      }
    }
    if (sortKey) {
      names.push('sort_key');
      values.push('?');
    }
    const sql = `INSERT INTO ${spec.table} (${names.join(', ')}) VALUES (${values.join(', ')})`;
    return [key, { table: spec.table, fields, width: fields.length + (sortKey ? 1 : 0), sortKey, sql } satisfies BulkTable];
  }),
) as Record<TableKey, BulkTable>;

/** Map a `GraphData` batch to bound values, full-text index rows and sentence spans (pure: runs in a worker). */
export function toBulkBatch(data: GraphData): BulkBatch {
  const tables = {} as Record<TableKey, unknown[]>;
  for (const key of TABLE_KEYS) {
    const { fields, sortKey } = BULK_TABLES[key];
    const n = fields.length;
    const out: unknown[] = [];
    for (const row of data[key] as unknown as Record<string, unknown>[]) {
      for (let i = 0; i < n; i++) {
        const { field, bool } = fields[i]!;
        const v = row[field];
        out.push(bool ? (v ? 1 : 0) : (v ?? null));
      }
      if (sortKey) out.push(sortKey(row));
    }
    tables[key] = out;
  }
  // The index reads names, descriptions and texts only, not provenance.
  const search: string[] = [];
  for (const r of searchIndexRows(data as unknown as Parameters<typeof searchIndexRows>[0])) search.push(r.subjectId, r.subjectType, r.name, r.body);
  const sentences: unknown[] = [];
  for (const doc of data.documents) for (const s of sentenceSpans(doc.text)) sentences.push(doc.id, s.ord, s.start, s.end);
  return { tables, search, sentences, documents: data.documents.length };
}
