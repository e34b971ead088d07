/**
 * A whole graph as table rows, ready for a SQL backend to write: the derived
 * columns (`mention_count`, `sort_key`) filled in, values in column order.
 */
import type { EntityRow, GraphData } from '../types.js';
import { SORT_KEYS, TABLES, type TableSpec } from './tables.js';

/** A column's kind, as `tables.ts` declares it (`real` for fractional numbers). */
export type ColumnKind = 'text' | 'int' | 'real' | 'bool';

/** The rows of one table, in `spec.columns` order, then `sort_key` when the table has one. */
export interface TableRows {
  spec: TableSpec;
  /** Column names in value order (`sort_key` last when present). */
  columns: string[];
  /** Column kinds in value order (`sort_key` is text). */
  kinds: ColumnKind[];
  /** One array of values per row; booleans stay booleans, absent values are null. */
  rows: unknown[][];
}

/** Rows of one table in column order, with `sort_key` from `sortKey` when given. */
export function toTableRows(spec: TableSpec, sortKey: ((row: Record<string, unknown>) => string) | undefined, rows: readonly object[]): TableRows {
  const columns: string[] = spec.columns.map((c) => c.name);
  const kinds = spec.columns.map((c) => c.kind as ColumnKind);
  if (sortKey) {
    columns.push('sort_key');
    kinds.push('text');
  }
  return {
    spec,
    columns,
    kinds,
    rows: rows.map((row) => {
      const full = row as Record<string, unknown>;
      const values = spec.columns.map((c) => (c.kind === 'bool' ? Boolean(full[c.field]) : (full[c.field] ?? null)));
      if (sortKey) values.push(sortKey(full));
      return values;
    }),
  };
}

/** Every table's rows for `data`, in `TABLES` order. */
export function graphTableRows(data: GraphData): TableRows[] {
  const mentionCounts = new Map<string, number>();
  for (const m of data.mentions) mentionCounts.set(m.entityId, (mentionCounts.get(m.entityId) ?? 0) + 1);
  return (Object.keys(TABLES) as (keyof typeof TABLES)[]).map((key) => {
    const spec: TableSpec = TABLES[key];
    const sortKey = SORT_KEYS[key];
    const columns: string[] = spec.columns.map((c) => c.name);
    const kinds = spec.columns.map((c) => c.kind as ColumnKind);
    if (sortKey) {
      columns.push('sort_key');
      kinds.push('text');
    }
    const rows = (data[key] as object[]).map((row) => {
      const full = (key === 'entities' ? { ...row, mentionCount: mentionCounts.get((row as EntityRow).id) ?? 0 } : row) as Record<
        string,
        unknown
      >;
      const values = spec.columns.map((c) => (c.kind === 'bool' ? Boolean(full[c.field]) : (full[c.field] ?? null)));
      if (sortKey) values.push(sortKey(full));
      return values;
    });
    return { spec, columns, kinds, rows };
  });
}
