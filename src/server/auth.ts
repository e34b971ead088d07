/**
 * API keys over HTTP: parsing `API_KEYS`, reading `Authorization: Bearer <key>`
 * and matching it, in constant time, against the configured SHA-256 hashes.
 * Keys themselves are never stored or logged; only their names are.
 *
 * Make a key and its hash (give the key to the client, put the hash in API_KEYS):
 * ```sh
 * node -e "const c=require('crypto');const k=c.randomBytes(32).toString('base64url');console.log(k, c.createHash('sha256').update(k).digest('hex'))"
 * ```
 */
import { createHash, timingSafeEqual } from 'node:crypto';

import type { Caller } from '../schema/context.js';

/** One accepted key: its name and the SHA-256 of the key. */
export interface ApiKey {
  name: string;
  sha256: Buffer;
}

/** What a request's `Authorization` header proved. */
export type Credentials =
  | { kind: 'anonymous' }
  | { kind: 'caller'; caller: Caller }
  /** A header was sent but it is not a valid key (never said which part was wrong). */
  | { kind: 'invalid' };

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const HEX64 = /^[0-9a-f]{64}$/i;

/**
 * Parse `API_KEYS`: comma-separated `name:sha256hex` entries.
 * @throws Error naming the bad entry (by position, never echoing a hash) when malformed.
 */
export function parseApiKeys(text: string): ApiKey[] {
  const keys: ApiKey[] = [];
  const entries = text.split(',').map((s) => s.trim()).filter(Boolean);
  entries.forEach((entry, i) => {
    const colon = entry.indexOf(':');
    const name = colon > 0 ? entry.slice(0, colon) : '';
    const hex = colon > 0 ? entry.slice(colon + 1) : '';
    if (!NAME.test(name) || !HEX64.test(hex)) {
      throw new Error(`API_KEYS entry ${i + 1} must be name:sha256hex (a name of letters, digits, "_.-" and 64 hex digits).`);
    }
    if (keys.some((k) => k.name === name)) throw new Error(`API_KEYS names must be unique; "${name}" appears twice.`);
    keys.push({ name, sha256: Buffer.from(hex, 'hex') });
  });
  return keys;
}

/** The SHA-256 of a key, in hex: what goes into `API_KEYS`. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * Check an `Authorization` header against the keys. Every configured hash is
 * compared with `timingSafeEqual`, without stopping at a match, so the time
 * taken does not depend on which key (if any) matched.
 */
export function authenticate(header: string | undefined, keys: readonly ApiKey[]): Credentials {
  if (header === undefined) return { kind: 'anonymous' };
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
  if (!match) return { kind: 'invalid' };
  const digest = createHash('sha256').update(match[1]!, 'utf8').digest();
  let found: ApiKey | null = null;
  for (const key of keys) {
    if (timingSafeEqual(digest, key.sha256) && found === null) found = key;
  }
  return found ? { kind: 'caller', caller: { name: found.name } } : { kind: 'invalid' };
}
