/**
 * SIGTERM drains: `npm start`'s entry point, in its own process, receives
 * SIGTERM while a request is in flight (its body only half sent); the server
 * stops accepting connections, still answers that request in full, and exits 0.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { runTs } from '../helpers/child.js';

const dir = mkdtempSync(join(tmpdir(), 'kg-shutdown-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function inFlight(base: string): Promise<number> {
  const text = await (await fetch(new URL('/metrics', base))).text();
  return Number(/^kg_http_requests_in_flight (\d+)/m.exec(text)?.[1] ?? NaN);
}

describe('SIGTERM', () => {
  it('finishes the request in flight, refuses new connections, and exits 0', async () => {
    const child = runTs('src/cli/start.ts', [], {
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: `file:${join(dir, 'kg.sqlite')}`,
      LOG_LEVEL: 'info',
    });
    try {
      const serving = await child.waitForLine((l) => l.msg === 'serving', 30_000);
      const url = new URL(serving.url as string);
      const body = JSON.stringify({ query: '{ entity(name: "MINUSMA") { id name } }' });

      // Start a request and send only half of its body.
      const socket = connect(Number(url.port), '127.0.0.1');
      let response = '';
      socket.setEncoding('utf8').on('data', (chunk: string) => (response += chunk));
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      socket.write(`POST /graphql HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`);
      socket.write(body.slice(0, 10));
      // Wait until the server counts it: the /metrics request itself is the other one in flight.
      for (let i = 0; i < 100 && (await inFlight(url.origin)) < 2; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await inFlight(url.origin)).toBe(2);

      child.process.kill('SIGTERM');
      const draining = await child.waitForLine((l) => l.msg === 'draining');
      expect(draining.inFlight).toBe(1);

      // No new connections once draining.
      await expect(fetch(new URL('/health', url.origin))).rejects.toThrow();

      // The request in flight still gets its full answer.
      socket.write(body.slice(10));
      await closed;
      expect(response).toMatch(/^HTTP\/1\.1 200 OK/);
      expect(response).toMatch(/connection: close/i);
      expect(response).toContain('"entity":{"id":"actor:minusma","name":"MINUSMA"}');

      expect(await child.exited).toBe(0);
      expect(child.lines.some((l) => l.msg === 'stopped')).toBe(true);
    } finally {
      child.process.kill('SIGKILL');
    }
  });
});
