/**
 * The guard of every mutation: a caller with a valid API key.
 */
import { ErrorCode, userError } from '../errors.js';
import type { GraphContext } from './context.js';

/**
 * The caller of this request.
 * @throws GraphQLError UNAUTHENTICATED (HTTP 401) when the request has no valid API key.
 */
export function requireCaller(ctx: GraphContext): { name: string } {
  if (!ctx.caller) {
    throw userError('This operation needs an API key: send "Authorization: Bearer <key>".', ErrorCode.UNAUTHENTICATED, {
      http: { status: 401 },
    });
  }
  return ctx.caller;
}
