/**
 * The operation deadline: once an operation has run `deadlineMs`, no store
 * call starts any more (each loader batch and each direct read of the
 * request's loaders is refused, see `Loaders.startDeadline`), so execution
 * winds down at its next nesting level; the response then carries one
 * DEADLINE_EXCEEDED error and no partial data.
 *
 * perf: the deadline is checked where the time goes, at the store, and not
 * before every field: a `willResolveField` hook makes Apollo wrap every
 * resolver of the schema, which cost ~10 % of an uncached entity page.
 * An operation that finishes without touching the store after its deadline
 * is answered in full.
 *
 * Resolvers cannot be interrupted mid-call; the HTTP layer adds a backstop
 * that answers 503 if even that does not end the request (see http-server.ts).
 */
import type { ApolloServerPlugin } from '@apollo/server';

import type { GraphContext } from '../../schema/context.js';
import { deadlineError } from '../limit-error.js';

/** The deadline plugin; `onExceeded` is called once per request that hit it. */
export function operationDeadlinePlugin(deadlineMs: number, onExceeded: () => void = () => {}): ApolloServerPlugin<GraphContext> {
  const error = () => deadlineError(deadlineMs);
  return {
    async requestDidStart({ contextValue }) {
      contextValue.loaders.startDeadline(deadlineMs, error, onExceeded);
      return {
        async willSendResponse(rc) {
          if (!rc.contextValue.loaders.deadlineExceeded || rc.response.body.kind !== 'single') return;
          const exceeded = deadlineError(deadlineMs);
          rc.response.body.singleResult = { data: null, errors: [{ message: exceeded.message, extensions: { ...exceeded.extensions } }] };
        },
      };
    },
  };
}
