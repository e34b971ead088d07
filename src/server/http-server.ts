/**
 * The HTTP layer on node:http: /graphql goes to Apollo Server; /health and
 * /ready answer load balancers. A short translation, nothing more: CORS, body
 * size limit, request id.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

import type { ApolloServer, HTTPGraphQLRequest } from '@apollo/server';
import { HeaderMap } from '@apollo/server';

import { createLoaders } from '../loaders/loaders.js';
import type { GraphContext } from '../schema/context.js';
import type { GraphCache } from '../store/graph-cache.js';
import type { GraphStore } from '../store/store.js';
import type { ServerConfig } from './config.js';

/** What the HTTP layer needs. */
export interface HttpDeps {
  apollo: ApolloServer<GraphContext>;
  store: GraphStore;
  config: ServerConfig;
  /** The instance's graph cache; its version is sent as `x-graph-version`. */
  graph?: GraphCache;
}

class BodyTooLargeError extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
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
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
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
    res.setHeader('access-control-max-age', '600');
  }
}

/** The request handler, for `http.createServer`. */
export function createRequestHandler({ apollo, store, config, graph }: HttpDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    res.setHeader('x-request-id', requestId);
    // Which graph answered: instances behind one load balancer agree once a change has reached them all.
    if (graph) res.setHeader('x-graph-version', String(graph.version));
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      applyCors(req, res, config.corsOrigins);
      if (req.method === 'OPTIONS') {
        res.writeHead(204).end();
        return;
      }
      switch (url.pathname) {
        case '/health':
          sendJson(res, 200, { status: 'ok' });
          return;
        case '/ready': {
          const ready = (await store.ping()) && (await store.seedFingerprint()) !== null;
          sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready' });
          return;
        }
        case '/':
        case '/graphql':
          break;
        default:
          sendJson(res, 404, { error: `No route ${url.pathname}; the API is at /graphql.` });
          return;
      }
      if (req.method !== 'GET' && req.method !== 'POST') {
        sendJson(res, 405, { error: 'Use GET or POST.' }, { allow: 'GET, POST, OPTIONS' });
        return;
      }
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      let body: unknown = undefined;
      if (req.method === 'POST') {
        const raw = await readBody(req, config.maxBodyBytes);
        const contentType = headers.get('content-type') ?? '';
        if (contentType.startsWith('application/json') || contentType.startsWith('application/graphql-response+json')) {
          try {
            body = raw.length ? JSON.parse(raw) : undefined;
          } catch {
            sendJson(res, 400, { errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
            return;
          }
        } else {
          body = raw;
        }
      }
      const request: HTTPGraphQLRequest = { method: req.method, headers, search: url.search, body };
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: request,
        context: async () => ({ loaders: createLoaders(store), requestId }),
      });
      for (const [key, value] of response.headers) res.setHeader(key, value);
      res.statusCode = response.status ?? 200;
      if (response.body.kind === 'complete') {
        res.end(response.body.string);
        return;
      }
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        sendJson(res, 413, { errors: [{ message: `Request body exceeds ${config.maxBodyBytes} bytes.`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] }, { connection: 'close' });
        return;
      }
      console.error(JSON.stringify({ level: 'error', requestId, msg: 'request failed', err: String((error as Error)?.stack ?? error) }));
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } }] });
      else res.end();
    }
  };
}

/** A node:http server around the handler. */
export function createHttpServer(deps: HttpDeps): Server {
  const handler = createRequestHandler(deps);
  return createServer((req, res) => void handler(req, res));
}
