/**
 * Per-client rate limiting with token buckets: each client (an API key's name,
 * or the address of an anonymous client) has a bucket of `burst` tokens that
 * refills at `perSecond` tokens a second; a request takes one token per
 * operation, and is refused (HTTP 429, with Retry-After) when too few are left.
 *
 * Buckets live in an LRU cache (lru-cache) so that memory stays bounded however
 * many addresses call; an evicted bucket comes back full, which only ever
 * errs towards letting a rarely seen client through.
 */
import { LRUCache } from 'lru-cache';

/** Options of `TokenBuckets`. */
export interface TokenBucketOptions {
  /** Tokens added per second. */
  perSecond: number;
  /** Bucket size: the largest burst. */
  burst: number;
  /** Most clients tracked at once (least recently seen are dropped). Default 10000. */
  maxClients?: number;
  /** Clock in milliseconds. Default `performance.now`. */
  now?: () => number;
}

/** The answer for one request. */
export type RateDecision =
  | { allowed: true; remaining: number }
  | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

/** Token buckets by client. */
export class TokenBuckets {
  private readonly buckets: LRUCache<string, Bucket>;
  private readonly now: () => number;

  constructor(private readonly options: TokenBucketOptions) {
    if (!(options.perSecond > 0) || !(options.burst > 0)) throw new Error('TokenBuckets needs perSecond > 0 and burst > 0.');
    this.buckets = new LRUCache({ max: options.maxClients ?? 10_000 });
    this.now = options.now ?? (() => performance.now());
  }

  /** Take `cost` tokens (default 1; more than `burst` counts as `burst`) from `client`'s bucket. */
  take(client: string, cost = 1): RateDecision {
    const { perSecond, burst } = this.options;
    const need = Math.min(Math.max(cost, 1), burst);
    const now = this.now();
    const bucket = this.buckets.get(client) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    this.buckets.set(client, bucket);
    if (bucket.tokens >= need) {
      bucket.tokens -= need;
      return { allowed: true, remaining: Math.floor(bucket.tokens) };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((need - bucket.tokens) / perSecond)) };
  }
}
