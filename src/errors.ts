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
} as const;

/** One of the codes in `ErrorCode`. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** A client error: the message is shown as is, with its code. */
export function userError(message: string, code: ErrorCode = ErrorCode.BAD_USER_INPUT, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}
