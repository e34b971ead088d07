/**
 * The per-request context every resolver receives.
 */
import type { Curator } from '../ingest/curation.js';
import type { Ingestor } from '../ingest/ingest.js';
import type { Loaders } from '../loaders/loaders.js';

/** Who is calling: the name of the API key the request presented. */
export interface Caller {
  /** The key's name from `API_KEYS` (never the key itself). */
  name: string;
}

/** The write side the mutations use: one of each per server. */
export interface WriteServices {
  ingestor: Ingestor;
  curator: Curator;
}

/** Per-request state: the loaders (one set per request), the request id, the caller and the write services. */
export interface GraphContext {
  loaders: Loaders;
  requestId: string;
  /** The authenticated caller, or null for an anonymous request. See `requireCaller`. */
  caller: Caller | null;
  /** Ingest and curation, for the mutations. */
  writes: WriteServices;
}
