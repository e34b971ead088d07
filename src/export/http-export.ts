/**
 * `GET /export/<type>.<format>`: a streamed download, e.g. /export/entities.csv,
 * /export/statements.jsonl, /export/graph.graphml, /export/graph.jsonld. The
 * body is written page by page with backpressure; it is never built whole.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import type { GraphReader } from '../store/store.js';
import { CONTENT_TYPES, exportChunks, parseExportRequest } from './formats.js';

/** The URL path prefix the handler serves. */
export const EXPORT_PATH_PREFIX = '/export/';

function sendError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ error: message });
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/**
 * Answer a request under `/export/`: 200 with the streamed file, 404 for an
 * unknown type or format (saying which exist), 405 for methods other than GET
 * and HEAD.
 */
export async function handleExportRequest(req: IncomingMessage, res: ServerResponse, store: GraphReader): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendError(res, 405, 'Exports are read with GET.', { allow: 'GET, HEAD' });
    return;
  }
  const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
  const name = decodeURIComponent(pathname.slice(EXPORT_PATH_PREFIX.length));
  const match = /^([a-z]+)\.([a-z]+)$/.exec(name);
  const request = match ? parseExportRequest(match[1]!, match[2]!) : `Ask for /export/<type>.<format>, e.g. /export/entities.csv or /export/graph.graphml.`;
  if (typeof request === 'string') {
    sendError(res, 404, request);
    return;
  }
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[request.format],
    'content-disposition': `attachment; filename="${request.type}.${request.format}"`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await pipeline(Readable.from(exportChunks(store, request)), res);
}
