/**
 * The context Apollo gets from the HTTP layer: the resolvers' `GraphContext`
 * plus a record of the request that the telemetry plugin fills in and the
 * HTTP layer logs when the response ends.
 */
import type { GraphContext } from '../schema/context.js';
import type { Outcome } from './metrics.js';

/** What one HTTP request did, for its log line. */
export interface RequestRecord {
  requestId: string;
  /** One entry per GraphQL operation (several for a batch). `name` undefined: not resolved. */
  operations: { name: string | null | undefined; outcome: Outcome }[];
}

/** The Apollo context: the resolvers' context and the request record. */
export interface ServerContext extends GraphContext {
  record: RequestRecord;
}
