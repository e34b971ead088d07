/**
 * Opaque cursors: a list position (sort key and id) as base64url JSON.
 */
import type { ListPosition } from './lists.js';

/** Thrown when a cursor cannot be decoded; the API turns it into BAD_USER_INPUT. */
export class CursorError extends Error {
  constructor(cursor: string) {
    super(`Malformed cursor ${JSON.stringify(cursor.slice(0, 64))}: pass an endCursor from a previous page.`);
    this.name = 'CursorError';
  }
}

/** Encode a list position as an opaque cursor. */
export function encodeCursor(position: ListPosition): string {
  return Buffer.from(JSON.stringify([position.sortKey, position.id]), 'utf8').toString('base64url');
}

/** Decode a cursor made by `encodeCursor`; throws `CursorError` on anything else. */
export function decodeCursor(cursor: string): ListPosition {
  if (cursor.length === 0 || cursor.length > 2048 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new CursorError(cursor);
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new CursorError(cursor);
  }
  if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== 'string' || typeof value[1] !== 'string') {
    throw new CursorError(cursor);
  }
  return { sortKey: value[0], id: value[1] };
}
