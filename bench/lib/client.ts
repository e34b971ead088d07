/**
 * A lean GraphQL-over-HTTP client for latency measurements: node:http with a
 * keep-alive agent, one request at a time, timed from write to last byte.
 */
import { Agent, request } from 'node:http';

/** Latency statistics in milliseconds. */
export interface Latencies {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** POST one operation; resolves with the parsed body and the time it took. */
export function timedPost(url: string, query: string, variables: Record<string, unknown>): Promise<{ ms: number; body: any; status: number }> {
  const payload = JSON.stringify({ query, variables });
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const ms = performance.now() - started;
        try {
          resolve({ ms, status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) });
        } catch (error) {
          reject(error);
        }
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** Percentiles of a list of milliseconds. */
export function latencies(ms: number[]): Latencies {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { n: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1]! };
}
