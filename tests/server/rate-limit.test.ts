/**
 * Per-client rate limiting: token-bucket arithmetic on a fake clock, and 429
 * with Retry-After over HTTP, with separate buckets per key name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { hashApiKey } from '../../src/server/auth.js';
import { TokenBuckets } from '../../src/server/rate-limit.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

describe('TokenBuckets', () => {
  it('lets a burst through, then refills at the configured rate', () => {
    let now = 0;
    const buckets = new TokenBuckets({ perSecond: 2, burst: 3, now: () => now });
    // A full bucket of 3: three requests pass, the fourth waits for one token at 2/s = 0.5 s → Retry-After 1.
    expect([1, 2, 3].map(() => buckets.take('a').allowed)).toEqual([true, true, true]);
    expect(buckets.take('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    // Another client has its own bucket.
    expect(buckets.take('b').allowed).toBe(true);
    // After 500 ms, one token is back.
    now = 500;
    expect(buckets.take('a').allowed).toBe(true);
    expect(buckets.take('a').allowed).toBe(false);
    // After 10 s the bucket is full again, but never fuller than 3.
    now = 10_500;
    expect([1, 2, 3, 4].map(() => buckets.take('a').allowed)).toEqual([true, true, true, false]);
  });

  it('charges a batch one token per operation, and says how long to wait for them', () => {
    let now = 0;
    const buckets = new TokenBuckets({ perSecond: 1, burst: 5, now: () => now });
    expect(buckets.take('a', 4)).toEqual({ allowed: true, remaining: 1 });
    // 1 token left, 4 needed: 3 more at 1/s → 3 s.
    expect(buckets.take('a', 4)).toEqual({ allowed: false, retryAfterSeconds: 3 });
    now = 3000;
    expect(buckets.take('a', 4).allowed).toBe(true);
  });
});

describe('rate limiting over HTTP (1 per second, burst 3)', () => {
  let server: TestServer;
  const key = 'rate-test-key-0123456789';
  beforeAll(async () => {
    server = await startTestServer({ env: { RATE_LIMIT_PER_SECOND: '1', RATE_LIMIT_BURST: '3', API_KEYS: `loader:${hashApiKey(key)}` } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('answers 429 with Retry-After once an address has spent its burst; keys have their own bucket; /health is not limited', async () => {
    // Six requests at once: the burst of 3 passes, the rest are refused (a refill of 1/s lets at most one more through).
    const responses = await Promise.all(
      Array.from({ length: 6 }, () =>
        fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(3);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(4);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(2);
    const limited = responses.find((r) => r.status === 429);
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = (await limited!.json()) as any;
    expect(body.errors[0].extensions.code).toBe('RATE_LIMITED');

    const keyed = await server.gql('{ __typename }', undefined, { authorization: `Bearer ${key}` });
    expect(keyed.status).toBe(200);
    expect((await fetch(new URL('/health', server.url))).status).toBe(200);
  });
});
