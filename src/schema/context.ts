/**
 * The per-request context every resolver receives.
 */
import type { Loaders } from '../loaders/loaders.js';

/** Who is calling: the name of the API key the request presented. */
export interface Caller {
  /** The key's name from `API_KEYS` (never the key itself). */
  name: string;
}

/** Per-request state: the loaders (one set per request), the request id and the caller. */
export interface GraphContext {
  loaders: Loaders;
  requestId: string;
  /** The authenticated caller, or null for an anonymous request. See `requireCaller`. */
  caller: Caller | null;
}
