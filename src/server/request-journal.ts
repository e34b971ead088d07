/**
 * The bookkeeping of finished HTTP requests: each request's log line and its
 * HTTP metrics (and, for an answer from the response cache, the metrics of
 * the operation it repeats). A request hands its figures over when its
 * response ends; they are counted and logged together when the current turn
 * of the event loop ends, in the order the requests ended. perf: done one
 * request at a time between two requests' HTTP work, pino and prom-client
 * cost about a third of the CPU of a cached answer (each pass touched their
 * code and data afresh); done in one loop per turn, a fraction of that. No
 * request goes unlogged or uncounted: lines still pending when the process
 * exits are written by the log destination's own exit hook after this
 * module's (registered first) has logged them.
 */
import type { Logger } from './logger.js';
import type { Outcome, ServerMetrics } from './metrics.js';

/** What the HTTP layer knows of a request when its response ends. */
export interface FinishedRequest {
  requestId: string;
  method: string | undefined;
  /** Path without query string (cut to 200 characters in the log). */
  path: string;
  /** The metrics label of the route (see `routeLabel` in http-server.ts). */
  route: string;
  status: number;
  seconds: number;
  /** Operation names (null: anonymous; undefined: not resolved). */
  operations: (string | null | undefined)[];
  outcome: Outcome;
  caller: string | null;
  client: string;
  /** Answered from the response cache: its operation is counted here (the pipeline that would count it did not run). */
  cached: boolean;
  /** The client went away before the response was complete. */
  aborted: boolean;
}

/** Collects finished requests and counts and logs them once per event-loop turn. */
export class RequestJournal {
  private pending: FinishedRequest[] = [];
  private scheduled = false;
  private readonly flushNow = (): void => this.flush();

  constructor(
    private readonly metrics: ServerMetrics,
    private readonly log: Logger,
  ) {
    watchExit();
    OPEN.add(this);
  }

  /** Hand over a finished request. */
  record(request: FinishedRequest): void {
    this.pending.push(request);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flushNow);
    }
  }

  /** Count and log what was handed over (normally at the end of the turn). */
  flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    // perf: the request counter is increased once per run of requests with the same route and status (prom-client
    // builds and looks up a label string per call); each request's latency is still observed by itself. All
    // counting first, then all log lines.
    let run = 0;
    let runRoute = '';
    let runStatus = 0;
    for (const r of batch) {
      if (r.route !== runRoute || r.status !== runStatus) {
        if (run > 0) this.metrics.httpRequests.inc({ route: runRoute, status: String(runStatus) }, run);
        run = 0;
        runRoute = r.route;
        runStatus = r.status;
      }
      run++;
      this.metrics.httpSeconds.observe({ route: r.route }, r.seconds);
      if (r.cached) for (const name of r.operations) this.metrics.observeOperation(name, 'ok', r.seconds);
    }
    this.metrics.httpRequests.inc({ route: runRoute, status: String(runStatus) }, run);
    for (const r of batch) {
      const line: Record<string, unknown> = {
        requestId: r.requestId,
        method: r.method,
        path: r.path.slice(0, 200),
        status: r.status,
        durationMs: Math.round(r.seconds * 10_000) / 10,
        operations: r.operations.map((name) => (name === undefined ? null : (name ?? 'anonymous'))),
        outcome: r.outcome,
        caller: r.caller,
        client: r.client,
      };
      if (r.cached) line.cached = true;
      if (r.aborted) line.aborted = true;
      this.log.info(line, 'request');
    }
  }

  /** Flush, and stop watching the process's exit. */
  close(): void {
    this.flush();
    OPEN.delete(this);
  }
}

/** Journals not closed yet: flushed when the process exits. */
const OPEN = new Set<RequestJournal>();
let watchingExit = false;

/** One exit hook for all journals, before the log destination's (see the module comment). */
function watchExit(): void {
  if (watchingExit) return;
  watchingExit = true;
  process.prependListener('exit', () => {
    for (const journal of OPEN) journal.flush();
  });
}
