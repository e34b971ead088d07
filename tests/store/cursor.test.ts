import { describe, expect, it } from 'vitest';

import { CursorError, decodeCursor, encodeCursor } from '../../src/store/cursor.js';

describe('cursors', () => {
  it('round-trip a list position, including non-ASCII sort keys', () => {
    for (const position of [
      { sortKey: 'al qaeda', id: 'actor:al-qaeda' },
      { sortKey: '2022-03-01|2022-03-31', id: 'event:moura-massacre' },
      { sortKey: 'côte 𝔐 “x”', id: 'x' },
      { sortKey: '', id: '' },
    ]) {
      const cursor = encodeCursor(position);
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor(cursor)).toEqual(position);
    }
  });

  it.each([
    '',
    '!!!',
    'zzz',
    Buffer.from('{"sortKey":"a","id":"b"}').toString('base64url'),
    Buffer.from('["a"]').toString('base64url'),
    Buffer.from('["a","b","c"]').toString('base64url'),
    Buffer.from('[1,"b"]').toString('base64url'),
    Buffer.from('null').toString('base64url'),
    'A'.repeat(3000),
  ])('refuses %j with a CursorError', (cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(CursorError);
  });
});
