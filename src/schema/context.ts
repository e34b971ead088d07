/**
 * The per-request context every resolver receives.
 */
import type { Curator } from '../ingest/curation.js';
import type { Ingestor } from '../ingest/ingest.js';
import type { Loaders } from '../loaders/loaders.js';

/** The write side the mutations use: one of each per server. */
export interface WriteServices {
  ingestor: Ingestor;
  curator: Curator;
}

/** Per-request state: the loaders (one set per request), the request id, the caller and the write services. */
export interface GraphContext {
  loaders: Loaders;
  requestId: string;
  /** Who the request's API key names; null without a valid key. */
  caller: { name: string } | null;
  /** Ingest and curation, for the mutations. */
  writes: WriteServices;
}
