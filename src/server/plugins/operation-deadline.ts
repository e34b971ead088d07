/**
 * The operation deadline: once an operation has run `deadlineMs`, every field
 * that starts resolving fails, so execution winds down at once; the response
 * then carries one DEADLINE_EXCEEDED error and no partial data.
 *
 * Resolvers cannot be interrupted mid-call; the HTTP layer adds a backstop
 * that answers 503 if even that does not end the request (see http-server.ts).
 */
import type { ApolloServerPlugin } from '@apollo/server';

import { deadlineError } from '../limit-error.js';

/** The deadline plugin; `onExceeded` is called once per operation that hit it. */
export function operationDeadlinePlugin(deadlineMs: number, onExceeded: () => void = () => {}): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const deadline = performance.now() + deadlineMs;
      let exceeded = false;
      return {
        async executionDidStart() {
          return {
            willResolveField() {
              if (!exceeded && performance.now() > deadline) {
                exceeded = true;
                onExceeded();
              }
              if (exceeded) throw deadlineError(deadlineMs);
            },
          };
        },
        async willSendResponse(rc) {
          if (!exceeded || rc.response.body.kind !== 'single') return;
          const error = deadlineError(deadlineMs);
          rc.response.body.singleResult = { data: null, errors: [{ message: error.message, extensions: { ...error.extensions } }] };
        },
      };
    },
  };
}
