/**
 * The request journal counts and logs finished requests when the event-loop
 * turn ends, in the order they finished, each once; a cached answer also
 * counts as the operation it repeats; and nothing is lost when the process
 * exits with requests still pending.
 */
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { requestLogger } from '../../src/server/logger.js';
import { ServerMetrics } from '../../src/server/metrics.js';
import { type FinishedRequest, RequestJournal } from '../../src/server/request-journal.js';
import { ROOT, runTs } from '../helpers/child.js';
import { captureLog } from '../helpers/log-capture.js';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

const finished = (requestId: string, overrides: Partial<FinishedRequest> = {}): FinishedRequest => ({
  requestId,
  method: 'POST',
  path: '/graphql',
  route: '/graphql',
  status: 200,
  seconds: 0.0123,
  operations: ['EntityPage'],
  outcome: 'ok',
  caller: null,
  client: '127.0.0.1',
  cached: false,
  aborted: false,
  ...overrides,
});

/** The value of one series in Prometheus' text format (0 when absent). */
async function series(metrics: ServerMetrics, name: string, labels: string): Promise<number> {
  const text = await metrics.registry.metrics();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('RequestJournal', () => {
  it('logs and counts the requests of a turn when it ends, in order', async () => {
    const log = captureLog();
    const metrics = new ServerMetrics();
    const journal = new RequestJournal(metrics, requestLogger(log.logger));
    journal.record(finished('a'));
    journal.record(finished('b', { status: 400, outcome: 'rejected', operations: [undefined] }));
    journal.record(finished('c', { operations: [null], caller: 'analyst', aborted: true }));
    expect(log.lines.filter((l) => l.msg === 'request')).toEqual([]);
    await nextTurn();
    const lines = log.lines.filter((l) => l.msg === 'request');
    expect(lines.map((l) => l.requestId)).toEqual(['a', 'b', 'c']);
    expect(lines[0]).toMatchObject({ level: 'info', method: 'POST', path: '/graphql', status: 200, durationMs: 12.3, operations: ['EntityPage'], outcome: 'ok', caller: null, client: '127.0.0.1' });
    expect(lines[0]).not.toHaveProperty('cached');
    expect(lines[0]).not.toHaveProperty('aborted');
    expect(lines[1]).toMatchObject({ status: 400, outcome: 'rejected', operations: [null] });
    expect(lines[2]).toMatchObject({ operations: ['anonymous'], caller: 'analyst', aborted: true });
    expect(await series(metrics, 'kg_http_requests_total', 'route="/graphql",status="200"')).toBe(2);
    expect(await series(metrics, 'kg_http_requests_total', 'route="/graphql",status="400"')).toBe(1);
    expect(await series(metrics, 'kg_http_request_duration_seconds_count', 'route="/graphql"')).toBe(3);
    // Operations that ran are counted by the telemetry plugin, not here.
    expect(await series(metrics, 'kg_graphql_operations_total', 'operation="EntityPage",outcome="ok"')).toBe(0);
    await nextTurn();
    expect(log.lines.filter((l) => l.msg === 'request')).toHaveLength(3);
    journal.close();
  });

  it('counts an answer from the response cache as the operation it repeats', async () => {
    const log = captureLog();
    const metrics = new ServerMetrics();
    const journal = new RequestJournal(metrics, requestLogger(log.logger));
    journal.record(finished('hit', { cached: true }));
    journal.flush();
    expect(log.lines.find((l) => l.requestId === 'hit')).toMatchObject({ cached: true, operations: ['EntityPage'] });
    expect(await series(metrics, 'kg_graphql_operations_total', 'operation="EntityPage",outcome="ok"')).toBe(1);
    journal.close();
  });

  it('loses no request when the process exits with requests pending', async () => {
    const count = 300;
    const child = runTs(join(ROOT, 'tests', 'fixtures', 'journal-exit.ts'), [String(count)], {});
    expect(await child.closed).toBe(0);
    const logged = child.lines.filter((line) => line.msg === 'request');
    expect(logged.map((line) => line.requestId)).toEqual(Array.from({ length: count }, (_, i) => `r${i}`));
  });
});
