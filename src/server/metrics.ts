/**
 * Prometheus metrics (prom-client) on a registry of their own, served at
 * /metrics: requests and their latency by operation name and outcome,
 * rejections by limit, store call timings, plus Node's process metrics.
 *
 * Label values come from bounded sets: operation names are truncated and, past
 * MAX_OPERATION_NAMES distinct names, counted as "other", so that clients
 * cannot grow the registry without bound.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

import type { LimitName } from './limit-error.js';

/** How an operation (or an HTTP request) ended. */
export type Outcome =
  /** Answered without errors. */
  | 'ok'
  /** Executed, with errors in the result (bad arguments, deadline). */
  | 'error'
  /** Refused before execution: parse, validation, limits, authentication, rate, size. */
  | 'rejected'
  /** Failed on our side (an internal error). */
  | 'failed';

/** Distinct operation names tracked before the rest are counted as "other". */
export const MAX_OPERATION_NAMES = 200;
const MAX_NAME_LENGTH = 64;

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The server's metrics. */
export class ServerMetrics {
  readonly registry = new Registry();
  private readonly names = new Set<string>();

  /** GraphQL operations by name and outcome. */
  readonly operations = new Counter({
    name: 'kg_graphql_operations_total',
    help: 'GraphQL operations by operation name and outcome.',
    labelNames: ['operation', 'outcome'] as const,
    registers: [this.registry],
  });
  /** GraphQL operation latency. */
  readonly operationSeconds = new Histogram({
    name: 'kg_graphql_operation_duration_seconds',
    help: 'GraphQL operation latency in seconds, by operation name and outcome.',
    labelNames: ['operation', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  /** Requests refused by a limit. */
  readonly rejections = new Counter({
    name: 'kg_rejections_total',
    help: 'Requests or operations refused, by the limit they exceeded (tokens, depth, aliases, directives, cost, batch, deadline, body_size, rate, auth).',
    labelNames: ['limit'] as const,
    registers: [this.registry],
  });
  /** HTTP requests by route and status. */
  readonly httpRequests = new Counter({
    name: 'kg_http_requests_total',
    help: 'HTTP requests by route and status code.',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
  });
  /** HTTP request latency. */
  readonly httpSeconds = new Histogram({
    name: 'kg_http_request_duration_seconds',
    help: 'HTTP request latency in seconds, by route.',
    labelNames: ['route'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  /** Requests being handled now: read from `countInFlight`'s source when scraped. */
  readonly inFlight: Gauge;
  private inFlightSource: () => number = () => 0;
  /** Store call latency. */
  readonly storeSeconds = new Histogram({
    name: 'kg_store_call_duration_seconds',
    help: 'Store (database) call latency in seconds, by store method and outcome (ok or error).',
    labelNames: ['method', 'outcome'] as const,
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });

  constructor() {
    this.inFlight = new Gauge({
      name: 'kg_http_requests_in_flight',
      help: 'HTTP requests being handled now.',
      registers: [this.registry],
      collect: () => this.inFlight.set(this.inFlightSource()),
    });
    collectDefaultMetrics({ register: this.registry });
  }

  /**
   * Where the in-flight gauge reads its value when /metrics is scraped (the
   * lifecycle's count). perf: a count kept anyway, instead of a gauge
   * incremented and decremented on every request.
   */
  countInFlight(source: () => number): void {
    this.inFlightSource = source;
  }

  /** A bounded label for an operation name (null: anonymous). */
  operationLabel(name: string | null | undefined): string {
    if (name === undefined) return 'unresolved';
    if (name === null || name === '') return 'anonymous';
    const label = name.slice(0, MAX_NAME_LENGTH);
    if (this.names.has(label)) return label;
    if (this.names.size >= MAX_OPERATION_NAMES) return 'other';
    this.names.add(label);
    return label;
  }

  /** Count one operation. */
  observeOperation(name: string | null | undefined, outcome: Outcome, seconds: number): void {
    const operation = this.operationLabel(name);
    this.operations.inc({ operation, outcome });
    this.operationSeconds.observe({ operation, outcome }, seconds);
  }

  /** Count one rejection. */
  reject(limit: LimitName): void {
    this.rejections.inc({ limit });
  }

  /** Time one store call (pass to `instrumentStore`). */
  readonly observeStoreCall = (method: string, seconds: number, ok: boolean): void => {
    this.storeSeconds.observe({ method, outcome: ok ? 'ok' : 'error' }, seconds);
  };
}
