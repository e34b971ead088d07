/**
 * Bulk inserts for PostgreSQL: one `INSERT … SELECT * FROM unnest($1::text[],
 * $2::int[], …)` per chunk of rows, with one array parameter per column. A
 * chunk of thousands of rows costs one round trip and one parse, and the
 * statement text does not grow with the row count (as a multi-row VALUES
 * list would), with no extra package (COPY would need one).
 */
import type { ColumnKind, TableRows } from '../sql/graph-rows.js';
import type { PgQueryable } from './postgres-pool.js';

/** Rows per statement: large enough to amortise a round trip, small enough to bound memory. */
export const ROWS_PER_INSERT = 5_000;

const ARRAY_TYPES: Record<ColumnKind, string> = { text: 'text[]', int: 'int[]', real: 'float8[]', bool: 'int[]' };

/** The INSERT statement for a table, taking one array per column. */
export function unnestInsertSql(table: TableRows): string {
  const arrays = table.kinds.map((kind, i) => `$${i + 1}::${ARRAY_TYPES[kind]}`);
  return `INSERT INTO ${table.spec.table} (${table.columns.join(', ')}) SELECT * FROM unnest(${arrays.join(', ')})`;
}

/**
 * Insert every row of `table` through `client`, in chunks.
 * @returns the number of statements run.
 */
export async function bulkInsert(client: PgQueryable, table: TableRows): Promise<number> {
  if (table.rows.length === 0) return 0;
  const sql = unnestInsertSql(table);
  let statements = 0;
  for (let start = 0; start < table.rows.length; start += ROWS_PER_INSERT) {
    const chunk = table.rows.slice(start, start + ROWS_PER_INSERT);
    // Flags are integers (0/1) in every table, as on SQLite.
    const columns = table.columns.map((_, c) =>
      table.kinds[c] === 'bool' ? chunk.map((row) => (row[c] === null ? null : row[c] ? 1 : 0)) : chunk.map((row) => row[c]),
    );
    await client.query(sql, columns);
    statements++;
  }
  return statements;
}
