/**
 * /health, /ready and /metrics over HTTP, and the metric labels' bounds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { MAX_OPERATION_NAMES, ServerMetrics } from '../../src/server/metrics.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/** The value of one sample in a Prometheus text exposition. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const [, labelText, value] = /^[^{]+\{(.*)\} (\S+)$/.exec(line) ?? [];
    const found = Object.fromEntries([...(labelText ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(value);
  }
  return undefined;
}

describe('operator endpoints', () => {
  let server: TestServer;
  let empty: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    empty = await startTestServer({ start: { build: false } });
  });
  afterAll(async () => {
    await server?.stop();
    await empty?.stop();
  });

  it('/health answers while the process lives', async () => {
    const res = await fetch(new URL('/health', server.url));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', phase: 'serving' });
  });

  it('/ready is 200 once the graph is loaded, 503 on a database without a graph', async () => {
    expect((await fetch(new URL('/ready', server.url))).status).toBe(200);
    const notReady = await fetch(new URL('/ready', empty.url));
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({ status: 'not ready' });
  });

  it('/metrics counts operations by name and outcome, latency, rejections and store calls', async () => {
    await server.gql('query EntityPage { entity(name: "Mali") { id } }');
    await server.gql('query EntityPage { entity(name: "Mali") { id } }');
    await server.gql('query BadPage { entities(first: -1) { totalCount } }');
    await server.gql('query Unparsable {');
    const res = await fetch(new URL('/metrics', server.url));
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(sample(text, 'kg_graphql_operations_total', { operation: 'EntityPage', outcome: 'ok' })).toBe(2);
    expect(sample(text, 'kg_graphql_operations_total', { operation: 'BadPage', outcome: 'error' })).toBe(1);
    expect(sample(text, 'kg_graphql_operations_total', { operation: 'unresolved', outcome: 'rejected' })).toBe(1);
    expect(sample(text, 'kg_graphql_operation_duration_seconds_count', { operation: 'EntityPage', outcome: 'ok' })).toBe(2);
    // entity(name:) looks names up through aliasesByNorms; each lookup is timed.
    expect(sample(text, 'kg_store_call_duration_seconds_count', { method: 'aliasesByNorms', outcome: 'ok' })).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'kg_http_requests_total', { route: '/graphql', status: '200' })).toBeGreaterThanOrEqual(3);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(text).toMatch(/^# TYPE kg_rejections_total counter/m);
  });
});

describe('ServerMetrics', () => {
  it('bounds operation-name labels: truncated, and "other" past the limit', () => {
    const metrics = new ServerMetrics();
    expect(metrics.operationLabel(null)).toBe('anonymous');
    expect(metrics.operationLabel(undefined)).toBe('unresolved');
    expect(metrics.operationLabel('x'.repeat(100))).toBe('x'.repeat(64));
    for (let i = 0; i < MAX_OPERATION_NAMES; i++) metrics.operationLabel(`Op${i}`);
    expect(metrics.operationLabel('OneTooMany')).toBe('other');
    expect(metrics.operationLabel('Op1')).toBe('Op1');
  });
});
