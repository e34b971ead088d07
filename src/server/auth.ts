/**
 * API keys: `API_KEYS` holds comma-separated `name:sha256hex` pairs (the
 * SHA-256 of each key, never the key). A request's `Authorization: Bearer
 * <key>` is hashed and compared with each in constant time; the match's name
 * is the caller.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** A configured key: its name and the SHA-256 of the key. */
export interface ApiKey {
  name: string;
  sha256: Buffer;
}

/**
 * Parse `API_KEYS`. Empty or unset: no keys (every mutation is refused).
 * @throws Error naming the malformed entry.
 */
export function parseApiKeys(value: string | undefined): ApiKey[] {
  if (!value) return [];
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const m = /^([^:\s]+):([0-9a-fA-F]{64})$/.exec(entry);
      if (!m) throw new Error(`API_KEYS entry "${entry.slice(0, 40)}" must be name:sha256hex (64 hex digits).`);
      return { name: m[1]!, sha256: Buffer.from(m[2]!, 'hex') };
    });
}

/** The caller a request's `Authorization` header names, or null (no header, not Bearer, or no key matches). */
export function authenticate(authorization: string | undefined, keys: readonly ApiKey[]): { name: string } | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!m) return null;
  const digest = createHash('sha256').update(m[1]!).digest();
  let caller: { name: string } | null = null;
  // Compare with every key, so the time taken does not tell which matched.
  for (const key of keys) if (timingSafeEqual(digest, key.sha256) && !caller) caller = { name: key.name };
  return caller;
}
