/**
 * Telemetry for each GraphQL operation: its outcome and latency go to the
 * metrics and to the request's log record; internal errors are logged with
 * their detail and the request id, and the masked error the client gets
 * carries that request id (`extensions.requestId`) so the two can be matched.
 */
import type { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';

import { ErrorCode } from '../../errors.js';
import { isClientErrorCode } from '../format-error.js';
import type { Logger } from '../logger.js';
import type { Outcome, ServerMetrics } from '../metrics.js';
import type { ServerContext } from '../server-context.js';

/** The outcome of an operation from its formatted response. */
export function outcomeOf(body: GraphQLResponse['body']): Outcome {
  const result = body.kind === 'single' ? body.singleResult : body.initialResult;
  const errors: readonly GraphQLFormattedError[] = result.errors ?? [];
  if (errors.length === 0) return 'ok';
  if (errors.some((e) => !isClientErrorCode(e.extensions?.code))) return 'failed';
  return 'data' in result && result.data !== undefined ? 'error' : 'rejected';
}

function withRequestId(errors: readonly GraphQLFormattedError[] | undefined, requestId: string) {
  return errors?.map((e) =>
    isClientErrorCode(e.extensions?.code) ? e : { ...e, extensions: { ...e.extensions, code: e.extensions?.code ?? ErrorCode.INTERNAL_SERVER_ERROR, requestId } },
  );
}

/** The telemetry plugin. */
export function operationTelemetryPlugin(logger: Logger, metrics: ServerMetrics): ApolloServerPlugin<ServerContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      return {
        async didEncounterErrors(rc) {
          for (const error of rc.errors) {
            if (isClientErrorCode(error.extensions?.code)) continue;
            logger.error(
              { requestId: contextValue.requestId, operation: rc.operationName ?? null, path: error.path, err: error.originalError ?? error },
              'internal error',
            );
          }
        },
        async willSendResponse(rc) {
          const body = rc.response.body;
          if (body.kind === 'single') body.singleResult.errors = withRequestId(body.singleResult.errors, contextValue.requestId);
          else body.initialResult.errors = withRequestId(body.initialResult.errors, contextValue.requestId);
          const outcome = outcomeOf(body);
          const name = rc.operation ? rc.operationName : undefined;
          metrics.observeOperation(name, outcome, (performance.now() - started) / 1000);
          contextValue.record.operations.push({ name, outcome });
        },
      };
    },
  };
}
