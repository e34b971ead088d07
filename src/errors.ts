/**
 * Errors sent to clients: one list of codes, and one way to make them.
 * Anything that is not a `GraphQLError` made here is an internal error: it is
 * logged and reaches clients masked (see src/server/format-error.ts).
 */
import { GraphQLError } from 'graphql';

/** Every `extensions.code` the API sends. */
export const ErrorCode = {
  /** An argument is out of range or malformed (a negative `first`, a bad cursor). */
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /** The request is not valid GraphQL for this schema (set by graphql-js / Apollo). */
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  /** The request could not be parsed (set by graphql-js / Apollo). */
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  /** A write was attempted without a valid API key. */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** Something failed on our side; the log has the detail. */
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  /**
   * The operation exceeds a configured limit; `extensions.limit` names it
   * (`tokens`, `depth`, `aliases`, `directives`, `cost`, `batch`) and
   * `extensions.max` gives its value.
   */
  QUERY_LIMIT_EXCEEDED: 'QUERY_LIMIT_EXCEEDED',
  /** The operation did not finish within its deadline (`extensions.max`, in ms). */
  DEADLINE_EXCEEDED: 'DEADLINE_EXCEEDED',
  /** The client sent too many requests; retry after `Retry-After` seconds (HTTP 429). */
  RATE_LIMITED: 'RATE_LIMITED',
  /** The request body is larger than allowed (HTTP 413). */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** The HTTP request is malformed (not JSON, wrong method or media type). */
  BAD_REQUEST: 'BAD_REQUEST',
  /** The server is shutting down or not ready; retry on another instance (HTTP 503). */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
} as const;

/** One of the codes in `ErrorCode`. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** A client error: the message is shown as is, with its code. */
export function userError(message: string, code: ErrorCode = ErrorCode.BAD_USER_INPUT, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}
