/**
 * The HTTP layer on node:http: /graphql goes to Apollo Server; /health, /ready
 * and /metrics serve operators. Around every route it applies, in order: the
 * lifecycle (503 while draining), CORS, authentication (API keys), the
 * per-client rate limit (429), the body size limit (413) and the batch limit,
 * and it hands each finished request to the request journal (its log line and
 * HTTP metrics, written once per event-loop turn: request-journal.ts).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

import type { ApolloServer, HTTPGraphQLRequest, HTTPGraphQLResponse } from '@apollo/server';
import { HeaderMap } from '@apollo/server';

import { ErrorCode } from '../errors.js';
import { EXPORT_PATH_PREFIX, handleExportRequest } from '../export/http-export.js';
import { createLoaders } from '../loaders/loaders.js';
import { UNAUTHENTICATED_MESSAGE } from '../schema/auth.js';
import type { WriteServices } from '../schema/context.js';
import type { GraphCache } from '../store/graph-cache.js';
import type { GraphStore } from '../store/store.js';
import { authenticate, type Credentials } from './auth.js';
import type { ServerConfig } from './config.js';
import { type Lifecycle, unknownPhase } from './lifecycle.js';
import { type LimitName, limitError } from './limit-error.js';
import { type Logger, requestLogger } from './logger.js';
import type { Outcome, ServerMetrics } from './metrics.js';
import { TokenBuckets } from './rate-limit.js';
import { RequestJournal } from './request-journal.js';
import { type ResponseCache, watchVerdict } from './response-cache.js';
import type { RequestRecord, ServerContext } from './server-context.js';

/** What the HTTP layer needs. */
export interface HttpDeps {
  apollo: ApolloServer<ServerContext>;
  store: GraphStore;
  config: ServerConfig;
  writes: WriteServices;
  logger: Logger;
  metrics: ServerMetrics;
  lifecycle: Lifecycle;
  /** Whole-response cache for repeated reads (see response-cache.ts); none when absent. */
  responseCache?: ResponseCache | null;
  /** The instance's graph cache; its version is sent as `x-graph-version`. */
  graph?: GraphCache;
}

/** Routes for operators: no authentication (except /metrics if configured), no rate limit. */
const OPERATOR_ROUTES = new Set(['/health', '/ready', '/metrics']);
/** Time /ready gives the database to answer. */
const READY_TIMEOUT_MS = 2000;
/** Extra time after the operation deadline before the HTTP layer answers 503 by itself. */
const DEADLINE_GRACE_MS = 1000;

class BodyTooLargeError extends Error {}

const NO_BODY = Buffer.alloc(0);

/** The request's body bytes. perf: a body that came in one chunk (the usual case) is that chunk, not a copy. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      reject(new BodyTooLargeError());
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLargeError());
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : chunks.length === 0 ? NO_BODY : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** An error body in the GraphQL response shape, so GraphQL clients can read it. */
function errorBody(message: string, code: string, extensions: Record<string, unknown> = {}) {
  return { errors: [{ message, extensions: { code, ...extensions } }] };
}

function applyCors(req: IncomingMessage, res: ServerResponse, origins: readonly string[]): void {
  const origin = req.headers.origin;
  if (origin && (origins.includes(origin) || origins.includes('*'))) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('vary', 'Origin');
    res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
    res.setHeader(
      'access-control-allow-headers',
      'content-type, authorization, apollo-require-preflight, x-apollo-operation-name, apollographql-client-name, apollographql-client-version',
    );
    res.setHeader('access-control-expose-headers', 'x-request-id, retry-after');
    res.setHeader('access-control-max-age', '600');
  }
}

/** The client's address: the socket's, or with `trustProxy` the last `X-Forwarded-For` entry. */
function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const last = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',').pop()?.trim();
    if (last) return last.slice(0, 64);
  }
  return req.socket.remoteAddress ?? 'unknown';
}

/**
 * The metrics label of a path: its first segment (cut to 32 characters), or
 * `unmatched` for a 404. perf: found with `indexOf`, without splitting the path.
 */
export function routeLabel(pathname: string, status: number): string {
  if (status === 404) return 'unmatched';
  if (pathname === '/graphql') return pathname;
  const slash = pathname.indexOf('/');
  if (slash === -1) return '/';
  const end = pathname.indexOf('/', slash + 1);
  const first = end === -1 ? pathname.slice(slash + 1) : pathname.slice(slash + 1, end);
  return first === '' ? '/' : `/${first.slice(0, 32)}`;
}

/** The outcome of a whole HTTP request, from its operations or its status. */
const OUTCOME_RANK: Readonly<Record<Outcome, number>> = { ok: 0, error: 1, rejected: 2, failed: 3 };

function requestOutcome(record: RequestRecord, status: number): Outcome {
  const operations = record.operations;
  if (operations.length === 1) return operations[0]!.outcome;
  if (operations.length > 0) {
    let worst: Outcome = 'ok';
    for (const op of operations) if (OUTCOME_RANK[op.outcome] > OUTCOME_RANK[worst]) worst = op.outcome;
    return worst;
  }
  if (status >= 500) return 'failed';
  if (status >= 400) return 'rejected';
  return 'ok';
}

async function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(onTimeout()), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Set `headers` on a response that is written piece by piece. */
function setHeaders(res: ServerResponse, headers: Record<string, string>): void {
  for (const key in headers) res.setHeader(key, headers[key]!);
}

/**
 * The path and query string of a request target. perf: `/graphql` itself, the
 * usual target of a POST, is split without `new URL`; anything else is parsed.
 * Null when the target is malformed.
 */
function requestTarget(raw: string | undefined): { pathname: string; search: string } | null {
  if (raw === '/graphql') return { pathname: raw, search: '' };
  try {
    const url = new URL(raw ?? '/', 'http://localhost');
    return { pathname: url.pathname, search: url.search };
  } catch {
    return null;
  }
}

/** The request handler, for `http.createServer`; finished requests go to `journal`, which the caller closes. */
export function createRequestHandler({ apollo, store, config, logger, metrics, lifecycle, writes, graph, responseCache, journal }: HttpDeps & { journal: RequestJournal }) {
  // The in-flight gauge reads the lifecycle's count when scraped.
  metrics.countInFlight(() => lifecycle.inFlight);
  const buckets =
    config.rateLimit.perSecond > 0 ? new TokenBuckets({ perSecond: config.rateLimit.perSecond, burst: config.rateLimit.burst }) : null;

  /** Per-request helpers: a JSON answer with the request's `identity` headers. */
  function responder(res: ServerResponse, identity: Record<string, string>) {
    return function sendJson(status: number, body: unknown, headers: Record<string, string> = {}): void {
      const text = JSON.stringify(body);
      if (lifecycle.current.phase !== 'serving') headers = { ...headers, connection: 'close' };
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), ...identity, ...headers });
      res.end(text);
    };
  }

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const requestId = randomUUID();
    const record: RequestRecord = { requestId, operations: [] };
    let caller: string | null = null;
    let cached = false;
    const client = clientAddress(req, config.rateLimit.trustProxy);
    let pathname = '/';
    lifecycle.requestStarted();
    // 'close' comes once per response (perf: `on`, without `once`'s wrapper).
    res.on('close', () => {
      lifecycle.requestEnded();
      const status = res.statusCode;
      journal.record({
        requestId,
        method: req.method,
        path: pathname,
        route: routeLabel(pathname, status),
        status,
        seconds: (performance.now() - started) / 1000,
        operations: record.operations.map((op) => op.name),
        outcome: requestOutcome(record, status),
        caller,
        client,
        cached,
        aborted: !res.writableFinished,
      });
    });
    // Every response names its request and which graph answered (instances behind one load balancer agree once a
    // change has reached them all). perf: given with the response's own headers in its one writeHead where it can
    // be (Node merges headers set ahead with setHeader one by one), else set just before Apollo's or an export's.
    const identity: Record<string, string> = graph ? { 'x-request-id': requestId, 'x-graph-version': String(graph.version) } : { 'x-request-id': requestId };
    const sendJson = responder(res, identity);
    const reject = (limit: LimitName, status: number, body: unknown, headers: Record<string, string> = {}) => {
      metrics.reject(limit);
      sendJson(status, body, headers);
    };

    try {
      const url = requestTarget(req.url);
      if (url === null) {
        sendJson(400, errorBody('The request URL is malformed.', ErrorCode.BAD_REQUEST));
        return;
      }
      pathname = url.pathname;
      applyCors(req, res, config.corsOrigins);
      if (req.method === 'OPTIONS') {
        res.writeHead(204, identity).end();
        return;
      }

      // Lifecycle: only a serving server takes work; /health answers as long as the process lives.
      const phase = lifecycle.current;
      switch (phase.phase) {
        case 'serving':
          break;
        case 'starting':
        case 'draining':
        case 'stopped':
          if (pathname === '/health') break;
          sendJson(503, errorBody(`The server is ${phase.phase}; retry shortly.`, ErrorCode.SERVICE_UNAVAILABLE), { 'retry-after': '1' });
          return;
        default:
          unknownPhase(phase);
      }

      // Authentication: a key that is sent must be valid, on every route but the operator ones.
      const credentials: Credentials =
        OPERATOR_ROUTES.has(pathname) && !(pathname === '/metrics' && config.auth.metricsRequireKey)
          ? { kind: 'anonymous' }
          : authenticate(req.headers.authorization, config.auth.apiKeys);
      if (credentials.kind === 'caller') caller = credentials.caller.name;

      // Rate limit: by key name when authenticated, by address otherwise.
      if (buckets && !OPERATOR_ROUTES.has(pathname)) {
        const decision = buckets.take(caller !== null ? `key:${caller}` : `ip:${client}`);
        if (!decision.allowed) {
          reject('rate', 429, errorBody(`Too many requests; retry after ${decision.retryAfterSeconds} s.`, ErrorCode.RATE_LIMITED, { retryAfter: decision.retryAfterSeconds }), {
            'retry-after': String(decision.retryAfterSeconds),
          });
          return;
        }
      }

      const isRead = req.method === 'GET' || req.method === 'HEAD';
      const needsKey =
        credentials.kind === 'invalid' ||
        (credentials.kind === 'anonymous' &&
          ((config.auth.requireKeyForReads && !OPERATOR_ROUTES.has(pathname)) ||
            (pathname === '/metrics' && config.auth.metricsRequireKey) ||
            // Any write to a route other than /graphql (whose mutations the GraphQL plugin guards).
            (!isRead && pathname !== '/graphql' && pathname !== '/')));
      if (needsKey) {
        reject('auth', 401, errorBody(UNAUTHENTICATED_MESSAGE, ErrorCode.UNAUTHENTICATED), { 'www-authenticate': 'Bearer' });
        return;
      }

      if (pathname.startsWith(EXPORT_PATH_PREFIX)) {
        setHeaders(res, identity);
        return await handleExportRequest(req, res, store);
      }

      switch (pathname) {
        case '/health':
          sendJson(200, { status: 'ok', phase: phase.phase });
          return;
        case '/ready': {
          const ready = await withTimeout(
            (async () => (await store.ping()) && (await store.seedFingerprint()) !== null)().catch(() => false),
            READY_TIMEOUT_MS,
            () => false,
          );
          sendJson(ready ? 200 : 503, { status: ready ? 'ready' : 'not ready' });
          return;
        }
        case '/metrics': {
          const text = await metrics.registry.metrics();
          res.writeHead(200, { 'content-type': metrics.registry.contentType, ...identity });
          res.end(text);
          return;
        }
        case '/':
        case '/graphql':
          break;
        default:
          sendJson(404, { error: `No route ${pathname.slice(0, 200)}; the API is at /graphql.` });
          return;
      }

      if (req.method !== 'GET' && req.method !== 'POST') {
        sendJson(405, errorBody('Use GET or POST.', ErrorCode.BAD_REQUEST), { allow: 'GET, POST, OPTIONS' });
        return;
      }
      const bytes = req.method === 'POST' ? await readBody(req, config.maxBodyBytes) : NO_BODY;
      // perf: a repeated read is answered from the response cache, after the same CSRF check Apollo makes
      // (synchronously when the store tells its data version synchronously).
      const found = responseCache ? responseCache.lookup({ method: req.method, url: req.url ?? '/', headers: req.headers, body: bytes }) : null;
      const lookup = found instanceof Promise ? await found : found;
      if (lookup && 'hit' in lookup) {
        // Telemetry counts a cached answer as the operation it repeats (the journal does); its log line says `cached: true`.
        cached = true;
        record.operations.push({ name: lookup.hit.operationName, outcome: 'ok' });
        // perf: the stored header list and ours in one flat list, in the order of `{ ...stored, ...identity }`.
        const headers = lookup.hit.headerList.slice() as string[];
        for (const name in identity) headers.push(name, identity[name]!);
        if (lifecycle.current.phase !== 'serving') headers.push('connection', 'close');
        res.writeHead(200, headers).end(lookup.hit.body);
        return;
      }
      const raw = bytes.toString('utf8');
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      let body: unknown = undefined;
      let operations = 1;
      if (req.method === 'POST') {
        const contentType = headers.get('content-type') ?? '';
        if (contentType.startsWith('application/json') || contentType.startsWith('application/graphql-response+json')) {
          try {
            body = raw.length ? JSON.parse(raw) : undefined;
          } catch {
            sendJson(400, errorBody('The request body is not valid JSON.', ErrorCode.BAD_REQUEST));
            return;
          }
        } else {
          body = raw;
        }
        if (Array.isArray(body)) {
          operations = body.length;
          if (body.length > config.limits.maxBatch) {
            const error = limitError('batch', config.limits.maxBatch, body.length);
            reject('batch', 400, errorBody(error.message, ErrorCode.QUERY_LIMIT_EXCEEDED, { limit: 'batch', max: config.limits.maxBatch, actual: body.length }));
            return;
          }
          // A batch costs one token per operation (one was taken already).
          if (buckets && operations > 1) {
            const decision = buckets.take(caller !== null ? `key:${caller}` : `ip:${client}`, operations - 1);
            if (!decision.allowed) {
              reject('rate', 429, errorBody(`Too many requests; retry after ${decision.retryAfterSeconds} s.`, ErrorCode.RATE_LIMITED, { retryAfter: decision.retryAfterSeconds }), {
                'retry-after': String(decision.retryAfterSeconds),
              });
              return;
            }
          }
        }
      }

      const request: HTTPGraphQLRequest = { method: req.method, headers, search: url.search, body };
      const callerValue = credentials.kind === 'caller' ? credentials.caller : null;
      const backstop = Symbol('deadline');
      const contextValue: ServerContext = watchVerdict({ loaders: createLoaders(store), requestId, caller: callerValue, record, writes });
      const response = await withTimeout<HTTPGraphQLResponse | typeof backstop>(
        apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest: request, context: async () => contextValue }),
        config.limits.deadlineMs + DEADLINE_GRACE_MS,
        () => backstop,
      );
      if (response === backstop) {
        // The operation did not wind down after its deadline (a resolver is stuck): answer anyway.
        reject(
          'deadline',
          503,
          errorBody(`The operation did not finish within its deadline of ${config.limits.deadlineMs} ms (limit "deadline").`, ErrorCode.DEADLINE_EXCEEDED, {
            limit: 'deadline',
            max: config.limits.deadlineMs,
          }),
          { connection: 'close' },
        );
        return;
      }
      setHeaders(res, identity);
      for (const [key, value] of response.headers) res.setHeader(key, value);
      if (lifecycle.current.phase !== 'serving') res.setHeader('connection', 'close');
      res.statusCode = response.status ?? 200;
      if (response.body.kind === 'complete') {
        res.end(response.body.string);
        if (lookup) await responseCache!.store(lookup.ticket, contextValue, res.statusCode, Object.fromEntries(response.headers), response.body.string);
        return;
      }
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        reject('body_size', 413, errorBody(`Request body exceeds ${config.maxBodyBytes} bytes.`, ErrorCode.PAYLOAD_TOO_LARGE, { max: config.maxBodyBytes }), {
          connection: 'close',
        });
        return;
      }
      if (res.destroyed) {
        // The client went away (for example in the middle of sending its body): nothing to answer.
        logger.debug({ requestId, err: error }, 'client disconnected');
        return;
      }
      logger.error({ requestId, err: error }, 'request failed');
      if (!res.headersSent) sendJson(500, errorBody('Internal server error', ErrorCode.INTERNAL_SERVER_ERROR, { requestId }));
      else res.end();
    }
  };
}

/** A node:http server around the handler, with the request timeouts of the configuration. */
export function createHttpServer(deps: HttpDeps): Server {
  const journal = new RequestJournal(deps.metrics, requestLogger(deps.logger));
  const handler = createRequestHandler({ ...deps, journal });
  const server = createServer((req, res) => void handler(req, res));
  // Requests that end while the server closes are still logged, then the journal lets go of the process.
  server.once('close', () => setImmediate(() => journal.close()));
  server.requestTimeout = deps.config.requestTimeoutMs;
  server.headersTimeout = Math.min(deps.config.requestTimeoutMs, 10_000);
  return server;
}
