/**
 * Connection arguments and results: `first`/`after` in, Relay connections out.
 */
import { ErrorCode, userError } from '../errors.js';
import { CursorError, decodeCursor, encodeCursor } from '../store/cursor.js';
import type { Page, PageRequest } from '../store/lists.js';
import type { ConnectionModel, EdgeModel } from './models.js';

/** Page size when `first` is not given. */
export const DEFAULT_PAGE_SIZE = 20;
/** Largest page a client may ask for. */
export const MAX_PAGE_SIZE = 100;

/**
 * A store page request from connection arguments.
 * @throws GraphQLError BAD_USER_INPUT for a `first` out of 0..100 or a malformed cursor.
 */
export function pageRequest(args: { first?: number | null; after?: string | null }): PageRequest {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw userError(`"first" must be between 0 and ${MAX_PAGE_SIZE}; got ${first}.`, ErrorCode.BAD_USER_INPUT, { argument: 'first' });
  }
  if (args.after == null) return { first, after: null };
  try {
    return { first, after: decodeCursor(args.after) };
  } catch (error) {
    if (error instanceof CursorError) throw userError(error.message, ErrorCode.BAD_USER_INPUT, { argument: 'after' });
    throw error;
  }
}

/** A connection model from a page and a lazy count. */
export function connection<Row>(page: Page<Row>, request: PageRequest, count: () => Promise<number>): ConnectionModel<Row> {
  return { page, count, hasPreviousPage: request.after !== null };
}

/** Resolvers shared by every `…Connection` type. */
export const connectionFields = {
  edges: <Row>(c: ConnectionModel<Row>): EdgeModel<Row>[] =>
    c.page.rows.map((node, i) => ({ node, cursor: encodeCursor(c.page.positions[i]!) })),
  nodes: <Row>(c: ConnectionModel<Row>): Row[] => c.page.rows,
  pageInfo: <Row>(c: ConnectionModel<Row>): ConnectionModel<unknown> => c,
  totalCount: <Row>(c: ConnectionModel<Row>): Promise<number> => c.count(),
};

/** Resolvers of `PageInfo`, from the connection model. */
export const pageInfoFields = {
  hasNextPage: (c: ConnectionModel<unknown>): boolean => c.page.hasNextPage,
  hasPreviousPage: (c: ConnectionModel<unknown>): boolean => c.hasPreviousPage,
  startCursor: (c: ConnectionModel<unknown>): string | null =>
    c.page.positions.length ? encodeCursor(c.page.positions[0]!) : null,
  endCursor: (c: ConnectionModel<unknown>): string | null =>
    c.page.positions.length ? encodeCursor(c.page.positions[c.page.positions.length - 1]!) : null,
};

/**
 * Check a list's provenance filter.
 * @throws GraphQLError BAD_USER_INPUT for a `minConfidence` outside 0..1.
 */
export function checkProvenanceFilter(query: { minConfidence?: number | null }): void {
  const c = query.minConfidence;
  if (c !== null && c !== undefined && !(c >= 0 && c <= 1)) {
    throw userError(`"minConfidence" must be between 0 and 1; got ${c}.`, ErrorCode.BAD_USER_INPUT, { argument: 'minConfidence' });
  }
}
