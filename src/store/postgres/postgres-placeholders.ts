/**
 * Placeholder conversion: the shared SQL (`src/store/sql/`) marks parameters
 * with `?`; PostgreSQL numbers them (`$1`, `$2`, …). Every statement the
 * PostgreSQL backend runs passes through `toNumberedPlaceholders` in one place
 * (`PostgresStore.run`).
 */

/**
 * Rewrite each `?` placeholder of `sql` as `$1`, `$2`, … in order. A `?`
 * inside a string literal, a quoted identifier or a comment is left alone.
 * Shared SQL must not use PostgreSQL's `?` JSON operators (use their named
 * functions instead).
 * @example toNumberedPlaceholders("SELECT * FROM t WHERE a = ? AND b = '?'") // "… a = $1 AND b = '?'"
 */
export function toNumberedPlaceholders(sql: string): string {
  let out = '';
  let n = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      // A quoted literal or identifier; a doubled quote escapes itself.
      let j = i + 1;
      while (j < sql.length) {
        if (sql[j] === c) {
          if (sql[j + 1] === c) j += 2;
          else break;
        } else j++;
      }
      out += sql.slice(i, j + 1);
      i = j + 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const j = end === -1 ? sql.length : end;
      out += sql.slice(i, j);
      i = j;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      const j = end === -1 ? sql.length : end + 2;
      out += sql.slice(i, j);
      i = j;
    } else if (c === '?') {
      out += `$${++n}`;
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}
