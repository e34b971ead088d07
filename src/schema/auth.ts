/**
 * Authorization inside the schema: resolvers that write call `requireCaller`.
 * Every mutation is also guarded generically by the server (see
 * src/server/plugins/require-key-for-mutations.ts), so this is a second,
 * explicit line for write paths.
 */
import { GraphQLError } from 'graphql';

import { ErrorCode } from '../errors.js';
import type { Caller, GraphContext } from './context.js';

/** The one message for a missing or wrong key: it never says which. */
export const UNAUTHENTICATED_MESSAGE = 'Authentication required: send a valid API key as "Authorization: Bearer <key>".';

/** The UNAUTHENTICATED error, answered with HTTP 401. */
export function unauthenticatedError(): GraphQLError {
  return new GraphQLError(UNAUTHENTICATED_MESSAGE, {
    extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } },
  });
}

/**
 * The caller of this request.
 * @throws GraphQLError UNAUTHENTICATED (HTTP 401) when the request carried no valid API key.
 * @example
 * ```ts
 * ingestDocument: (_parent, args, ctx) => ingest(requireCaller(ctx).name, args.input)
 * ```
 */
export function requireCaller(ctx: GraphContext): Caller {
  if (ctx.caller) return ctx.caller;
  throw unauthenticatedError();
}
