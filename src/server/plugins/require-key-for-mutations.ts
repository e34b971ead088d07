/**
 * Every operation that is not a query (every mutation, now and to come) needs
 * an authenticated caller; anything else is refused with UNAUTHENTICATED (HTTP
 * 401) before any resolver runs. Resolvers that write may also call
 * `requireCaller` (src/schema/auth.ts) themselves.
 */
import type { ApolloServerPlugin } from '@apollo/server';

import { unauthenticatedError } from '../../schema/auth.js';
import type { GraphContext } from '../../schema/context.js';

/** The plugin; `onRefused` is called for each refused operation. */
export function requireKeyForMutationsPlugin(onRefused: () => void = () => {}): ApolloServerPlugin<GraphContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(rc) {
          const type = rc.operation?.operation;
          if (type !== undefined && type !== 'query' && rc.contextValue.caller === null) {
            onRefused();
            throw unauthenticatedError();
          }
        },
      };
    },
  };
}
