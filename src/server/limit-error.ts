/**
 * The errors of the request limits: one code, QUERY_LIMIT_EXCEEDED, and
 * `extensions.limit` naming which limit was hit, so that clients and
 * dashboards can tell them apart.
 */
import { GraphQLError } from 'graphql';

import { ErrorCode } from '../errors.js';

/** Every limit a request can exceed; also the `limit` label of the rejection metric. */
export type LimitName =
  | 'tokens'
  | 'depth'
  | 'aliases'
  | 'directives'
  | 'cost'
  | 'batch'
  | 'deadline'
  | 'body_size'
  | 'rate'
  | 'auth';

const WHAT: Record<'tokens' | 'depth' | 'aliases' | 'directives' | 'cost' | 'batch', (actual: number) => string> = {
  tokens: () => 'The document has too many tokens',
  depth: (n) => `The operation nests fields ${n} levels deep`,
  aliases: (n) => `The operation uses ${n} aliases`,
  directives: (n) => `The operation uses ${n} directives`,
  cost: (n) =>
    Number.isFinite(n)
      ? `The operation's estimated cost is ${n} (fields times page sizes)`
      : "The operation's estimated cost is too high to count (fragments expand to too many fields)",
  batch: (n) => (n === 0 ? 'Batched requests are not accepted' : `The batch holds ${n} operations`),
};

/** A QUERY_LIMIT_EXCEEDED error (HTTP 400) naming the limit, its maximum and what was found. */
export function limitError(limit: keyof typeof WHAT, max: number, actual: number): GraphQLError {
  const found = WHAT[limit](actual);
  const message =
    limit === 'batch' && max === 0
      ? `${found}: limit "batch" is 0 (batching is off).`
      : `${found}; limit "${limit}" allows ${limit === 'tokens' ? `at most ${max}` : max}.`;
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.QUERY_LIMIT_EXCEEDED, limit, max, ...(limit === 'tokens' || !Number.isFinite(actual) ? {} : { actual }), http: { status: 400 } },
  });
}

/** A DEADLINE_EXCEEDED error: the operation ran longer than `deadlineMs`. */
export function deadlineError(deadlineMs: number): GraphQLError {
  return new GraphQLError(`The operation did not finish within its deadline of ${deadlineMs} ms (limit "deadline").`, {
    extensions: { code: ErrorCode.DEADLINE_EXCEEDED, limit: 'deadline', max: deadlineMs },
  });
}
