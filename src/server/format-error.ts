/**
 * The error formatter: client errors pass with their code; anything else is
 * an internal error, masked outside development ("Internal server error"; the
 * telemetry plugin adds the request id and logs the detail). It never throws.
 */
import type { GraphQLFormattedError } from 'graphql';

import { ErrorCode } from '../errors.js';

/**
 * Codes whose messages are safe to show clients: every code in `ErrorCode`
 * (src/errors.ts) but INTERNAL_SERVER_ERROR, so a code added there is a client
 * code at once, plus Apollo's own client codes.
 */
const CLIENT_CODES = new Set<string>([
  ...Object.values(ErrorCode).filter((code) => code !== ErrorCode.INTERNAL_SERVER_ERROR),
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** True for the code of a client error (its message is meant for the client). */
export function isClientErrorCode(code: unknown): boolean {
  return typeof code === 'string' && CLIENT_CODES.has(code);
}

/** A formatter for Apollo's `formatError`. */
export function createFormatError(options: { development: boolean }) {
  return (formatted: GraphQLFormattedError, _error: unknown): GraphQLFormattedError => {
    try {
      const code = formatted.extensions?.code;
      if (isClientErrorCode(code)) {
        if (options.development) return formatted;
        // Outside development, keep only the code and the client's own fields.
        const { stacktrace: _stack, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
        return { ...formatted, extensions };
      }
      if (options.development) return formatted;
      return {
        message: 'Internal server error',
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
      };
    } catch {
      return { message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
    }
  };
}
