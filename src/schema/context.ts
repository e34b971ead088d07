/**
 * The per-request context every resolver receives.
 */
import type { Loaders } from '../loaders/loaders.js';

/** Per-request state: the loaders (one set per request) and the request id. */
export interface GraphContext {
  loaders: Loaders;
  requestId: string;
}
