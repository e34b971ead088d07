/**
 * A whole-response cache in front of the GraphQL pipeline: a repeated read
 * is answered with the bytes Apollo produced the first time, without parsing,
 * validating or executing anything.
 *
 * What may be cached, and when (each rule has a test in
 * tests/server/response-cache.test.ts):
 * - Only requests that Apollo's CSRF prevention accepts, judged the same way
 *   (and more strictly): a POST whose content type is `application/json` or
 *   `application/graphql-response+json`, or a GET that carries a content type
 *   other than the three "simple" ones, or a non-empty
 *   `apollo-require-preflight` / `x-apollo-operation-name` header. Any other
 *   request goes through Apollo, which rejects it as it always did.
 * - The key is the method, the path with its query string, the body bytes,
 *   the `accept` header (Apollo picks the response's media type from it) and
 *   the caller's identity (the `authorization` header), so a caller is never
 *   answered with what was computed for another. perf: the body enters the
 *   map key as its length and a 32-bit hash (`bodyHash`, xxHash32), and a hit is only a
 *   hit when the stored request body equals the request's byte for byte; two
 *   bodies with the same hash share one slot (the later answer replaces the
 *   earlier), never an answer.
 * - Only answers that Apollo gave with status 200, a complete (non-streamed)
 *   body, no `errors`, for a single `query` operation, are stored: never a
 *   mutation, never a batch, never an error.
 * - Every lookup first compares the graph's data version (see
 *   `createVersionProbe`) with the version the entries were computed at; any
 *   change empties the cache. An answer computed while the version changed is
 *   not stored.
 * - Bounded by bytes (LRU, `lru-cache`): keys, request bodies and answers
 *   stay under `maxBytes`; an entry larger than an eighth of it is not stored.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { LRUCache } from 'lru-cache';
import xxhash from 'xxhash-wasm';

import type { GraphStore } from '../store/store.js';

/** A stored answer: status 200, Apollo's headers and body bytes, and the operation's name (for telemetry). */
export interface CachedResponse {
  /**
   * Apollo's headers and `content-length`, as a flat `[name, value, …]` list for `res.writeHead`: perf, the HTTP
   * layer appends its own headers to a copy instead of merging two objects.
   */
  headerList: readonly string[];
  body: Buffer;
  operationName: string | null;
  /** The request body the answer was computed for (compared byte for byte on every hit). */
  requestBody: Buffer;
}

/** The request fields the cache looks at. */
export interface CacheableRequest {
  method: string;
  /** Path and query string, e.g. `/graphql?query=…`. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** The raw body bytes (empty for GET); a string stands for its UTF-8 bytes. */
  body: Buffer | string;
}

/** What `ResponseCache.lookup` found: the stored answer, or a ticket to store the computed one under. */
export type CacheLookup = { hit: CachedResponse } | { ticket: CacheTicket };

/** A value, or a promise of it: keeps the synchronous path synchronous (graphql-js's `PromiseOrValue`). */
export type PromiseOrValue<T> = T | Promise<T>;

/** xxHash32, compiled to WebAssembly by xxhash-wasm (instantiated once, when this module loads). */
const { h32Raw } = await xxhash();

/**
 * A 32-bit hash of a request body (xxHash32 of its bytes). perf: cheaper than
 * letting V8 hash the body as part of a string key (~0.24 µs against ~1.5 µs
 * for the ~800 bytes of an entity page, key string included); equal bodies
 * always hash alike, and unequal ones are told apart by the byte comparison on
 * a hit.
 */
export function bodyHash(bytes: Uint8Array): number {
  return h32Raw(bytes);
}

/** Content types a browser may send cross-site without a preflight. */
const SIMPLE_CONTENT_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);
/** POST bodies the HTTP layer parses as JSON (see http-server.ts). */
const JSON_CONTENT_TYPES = new Set(['application/json', 'application/graphql-response+json']);
/** Headers that force a preflight, as in Apollo's `csrfPrevention` default. */
const PREFLIGHT_HEADERS = ['apollo-require-preflight', 'x-apollo-operation-name'] as const;

const header = (headers: CacheableRequest['headers'], name: string): string => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
};

/** The media type of a content-type header as sent, without parameters ('' when absent). */
function essence(contentType: string): string {
  const semicolon = contentType.indexOf(';');
  return semicolon === -1 ? contentType : contentType.slice(0, semicolon);
}

/**
 * True when Apollo's CSRF prevention would let the request through, judged
 * conservatively (a request this refuses may still be fine for Apollo; it is
 * then simply not cached).
 */
export function passesCsrfGuard(request: CacheableRequest): boolean {
  const type = essence(header(request.headers, 'content-type'));
  // Exactly as sent: the HTTP layer parses JSON only for these spellings.
  if (request.method === 'POST') return JSON_CONTENT_TYPES.has(type);
  if (request.method !== 'GET') return false;
  const folded = type.trim().toLowerCase();
  if (folded !== '' && !SIMPLE_CONTENT_TYPES.has(folded)) return true;
  return PREFLIGHT_HEADERS.some((name) => header(request.headers, name).length > 0);
}

/**
 * Where the current data version comes from. `current()` is called on every
 * request: it must be cheap, and must change whenever any process commits a
 * change of the graph.
 */
export interface VersionProbe {
  current(): string | number | Promise<string | number>;
  close(): void;
}

/** Stores that can tell their data version synchronously and cheaply (SQLite). */
interface DataVersionSource {
  dataVersion(): string;
}

/** Stores that report committed changes (see `GraphStore.onGraphChanged`, PostgreSQL). */
interface ChangeNoticeSource {
  onGraphChanged(listener: (change: { version: number }) => void): Promise<() => void>;
}

/**
 * The cheapest correct version probe for a store: its synchronous
 * `dataVersion()` when it has one (SQLite: `PRAGMA data_version` and the
 * graph version, a few microseconds), else its change notices when it sends
 * them, else `graphVersion()` on every request.
 */
export async function createVersionProbe(store: GraphStore): Promise<VersionProbe> {
  const candidate = store as GraphStore & Partial<DataVersionSource & ChangeNoticeSource>;
  if (typeof candidate.dataVersion === 'function') {
    const source = candidate as unknown as DataVersionSource;
    return { current: () => source.dataVersion(), close: () => undefined };
  }
  if (typeof candidate.onGraphChanged === 'function') {
    let changes = 0;
    let base = await store.graphVersion();
    const stop = await candidate.onGraphChanged(({ version }) => {
      changes++;
      base = version;
    });
    return { current: () => `${changes}:${base}`, close: stop };
  }
  return { current: () => store.graphVersion(), close: () => undefined };
}

/** Options of `ResponseCache`. */
export interface ResponseCacheOptions {
  /** Most bytes of keys and bodies kept; 0 disables the cache. */
  maxBytes: number;
}

/**
 * Where `responseCachePlugin` leaves its verdict on a request's context.
 * Apollo runs each operation on a shallow copy of the context; the copy keeps
 * this property, so the verdict object is shared with the HTTP layer.
 */
const VERDICT = Symbol('responseCacheVerdict');

interface Verdict {
  storable: boolean;
  operations: number;
  operationName: string | null;
}

/** Mark a context so that the plugin's verdict on it can be read by `ResponseCache.store`. */
export function watchVerdict<C extends object>(context: C): C {
  Object.defineProperty(context, VERDICT, { value: { storable: false, operations: 0, operationName: null } satisfies Verdict, enumerable: true });
  return context;
}

const verdictOf = (context: object): Verdict | undefined => (context as { [VERDICT]?: Verdict })[VERDICT];

/**
 * The Apollo plugin that tells the cache which answers may be stored: a single
 * `query` operation that produced no errors (see `watchVerdict`).
 */
export function responseCachePlugin(): ApolloServerPlugin<object> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, operation, operationName, response }) {
          const ok =
            operation?.operation === 'query' &&
            response.body.kind === 'single' &&
            !response.body.singleResult.errors?.length &&
            (response.http.status ?? 200) === 200;
          const verdict = verdictOf(contextValue);
          if (!verdict) return;
          // A batch runs several operations on one context: never stored.
          verdict.operations++;
          verdict.storable = ok && verdict.operations === 1;
          verdict.operationName = operationName ?? null;
        },
      };
    },
  };
}

/** A cache lookup in progress: the key, the request body, and the version the answer will be computed at. */
export interface CacheTicket {
  key: string;
  requestBody: Buffer;
  version: string | number;
}

/** The whole-response cache. */
export class ResponseCache {
  private readonly entries: LRUCache<string, CachedResponse>;
  private version: string | number | null = null;
  private readonly maxEntryBytes: number;

  constructor(
    options: ResponseCacheOptions,
    private readonly probe: VersionProbe,
  ) {
    this.maxEntryBytes = Math.floor(options.maxBytes / 8);
    this.entries = new LRUCache<string, CachedResponse>({
      maxSize: Math.max(1, options.maxBytes),
      sizeCalculation: (value, key) => Math.max(1, value.body.length + value.requestBody.length + key.length * 2),
    });
  }

  /** Bytes held now. */
  get size(): number {
    return this.entries.calculatedSize;
  }

  /**
   * Look a request up. Returns the stored answer, or a ticket to store the
   * answer under once computed, or null when the request is not cacheable;
   * synchronously when the version probe answers synchronously (SQLite).
   */
  lookup(request: CacheableRequest): PromiseOrValue<CacheLookup | null> {
    if (!passesCsrfGuard(request)) return null;
    const version = this.probe.current();
    return typeof version === 'object' ? version.then((v) => this.find(request, v)) : this.find(request, version);
  }

  private find(request: CacheableRequest, version: string | number): CacheLookup {
    if (version !== this.version) {
      this.entries.clear();
      this.version = version;
    }
    const body = typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : request.body;
    const key =
      `${request.method} ${request.url}\n${header(request.headers, 'accept')}\n` +
      `${header(request.headers, 'authorization')}\n${body.length}:${bodyHash(body)}`;
    const hit = this.entries.get(key);
    return hit !== undefined && hit.requestBody.equals(body) ? { hit } : { ticket: { key, requestBody: body, version } };
  }

  /**
   * Store Apollo's answer for a ticket, if it may be stored (status 200, a
   * complete body, the plugin's verdict for `context`) and the data did not
   * change meanwhile.
   */
  async store(ticket: CacheTicket, context: object, status: number, headers: Record<string, string>, body: string): Promise<void> {
    const verdict = verdictOf(context);
    if (status !== 200 || verdict?.storable !== true) return;
    const raw = this.probe.current();
    const version = typeof raw === 'object' ? await raw : raw;
    if (version !== ticket.version || version !== this.version) return;
    const bytes = Buffer.from(body, 'utf8');
    if (bytes.length + ticket.requestBody.length + ticket.key.length * 2 > this.maxEntryBytes) return;
    // perf: with its length, a stored answer is sent in one piece instead of chunked.
    this.entries.set(ticket.key, {
      headerList: Object.entries({ ...headers, 'content-length': String(bytes.length) }).flat(),
      body: bytes,
      operationName: verdict.operationName,
      // A copy: the request's bytes may be a view of a larger socket buffer.
      requestBody: Buffer.from(ticket.requestBody),
    });
  }

  /** Stop watching the store. */
  close(): void {
    this.entries.clear();
    this.probe.close();
  }
}
