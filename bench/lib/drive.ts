/**
 * Driving a server with autocannon, and driving two servers alternately so
 * that both see the same machine noise.
 */
import { readFileSync } from 'node:fs';

import autocannon from 'autocannon';

/** CPU time (user + system) a process has used, in microseconds (Linux /proc). */
export function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 per second).
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/** One autocannon request template (see autocannon's `requests`). */
export type LoadRequest = autocannon.Request;

/** What to load: an origin and the request sequence each connection cycles through. */
export interface LoadTarget {
  name: string;
  /** e.g. `http://127.0.0.1:4000` */
  origin: string;
  requests: LoadRequest[];
  /** The server's process, to read its CPU time. */
  pid?: number;
}

/** One run's figures. */
export interface Sample {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** Server CPU time per request, microseconds (when the target has a pid). */
  cpuPerRequest: number | null;
}

/** Run autocannon once against `target`. */
export async function load(target: LoadTarget, seconds: number, connections: number): Promise<Sample> {
  const cpu0 = target.pid ? cpuMicros(target.pid) : 0;
  const result = await autocannon({
    url: target.origin,
    connections,
    duration: seconds,
    requests: target.requests,
  });
  return {
    requests: result.requests.total,
    seconds: result.duration,
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    cpuPerRequest: target.pid ? (cpuMicros(target.pid) - cpu0) / Math.max(1, result.requests.total) : null,
  };
}

/** Figures of one target over several rounds. */
export interface Aggregate {
  rps: number;
  /** Median of the rounds' p50. */
  p50: number;
  /** Worst of the rounds' p99. */
  p99: number;
  errors: number;
  non2xx: number;
  /** Server CPU time per request over all rounds, microseconds. */
  cpuPerRequest: number | null;
  rounds: Sample[];
}

function aggregate(samples: Sample[]): Aggregate {
  const total = samples.reduce((s, x) => s + x.requests, 0);
  const secs = samples.reduce((s, x) => s + x.seconds, 0);
  const p50s = samples.map((s) => s.p50).sort((a, b) => a - b);
  return {
    rps: total / secs,
    p50: p50s[Math.floor(p50s.length / 2)]!,
    p99: Math.max(...samples.map((s) => s.p99)),
    errors: samples.reduce((s, x) => s + x.errors, 0),
    non2xx: samples.reduce((s, x) => s + x.non2xx, 0),
    cpuPerRequest: samples.every((x) => x.cpuPerRequest !== null)
      ? samples.reduce((s, x) => s + x.cpuPerRequest! * x.requests, 0) / Math.max(1, total)
      : null,
    rounds: samples,
  };
}

/** Options of `alternate`. */
export interface AlternateOptions {
  rounds: number;
  seconds: number;
  warmupSeconds: number;
  connections: number;
}

/**
 * Warm both targets up, then load them in turn, `rounds` times each
 * (A B A B …), and aggregate each side.
 */
export async function alternate(a: LoadTarget, b: LoadTarget, o: AlternateOptions): Promise<[Aggregate, Aggregate]> {
  if (o.warmupSeconds > 0) {
    await load(a, o.warmupSeconds, o.connections);
    await load(b, o.warmupSeconds, o.connections);
  }
  const as: Sample[] = [];
  const bs: Sample[] = [];
  for (let i = 0; i < o.rounds; i++) {
    as.push(await load(a, o.seconds, o.connections));
    bs.push(await load(b, o.seconds, o.connections));
  }
  return [aggregate(as), aggregate(bs)];
}
