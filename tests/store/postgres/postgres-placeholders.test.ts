import { describe, expect, it } from 'vitest';

import { toNumberedPlaceholders } from '../../../src/store/postgres/postgres-placeholders.js';

describe('toNumberedPlaceholders', () => {
  it('numbers placeholders in order', () => {
    expect(toNumberedPlaceholders('SELECT * FROM t WHERE a = ? AND b IN (?, ?) LIMIT ?')).toBe(
      'SELECT * FROM t WHERE a = $1 AND b IN ($2, $3) LIMIT $4',
    );
  });

  it('leaves question marks in literals, quoted identifiers and comments alone', () => {
    expect(toNumberedPlaceholders(`SELECT '?', 'it''s ?', "odd?name" FROM t -- why?\nWHERE x = ? /* and? */ AND y = ?`)).toBe(
      `SELECT '?', 'it''s ?', "odd?name" FROM t -- why?\nWHERE x = $1 /* and? */ AND y = $2`,
    );
  });

  it('leaves a statement without placeholders unchanged', () => {
    expect(toNumberedPlaceholders("SELECT value FROM meta WHERE key = 'graph_version'")).toBe("SELECT value FROM meta WHERE key = 'graph_version'");
  });
});
