/**
 * SIGTERM drains: `npm start`'s entry point, in its own process, receives
 * SIGTERM while two requests are in flight (their bodies only half sent: one
 * computed, one the server will answer from its response cache); the server
 * stops accepting connections, still answers both in full, each with
 * `connection: close`, and exits 0.
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
  it('finishes the requests in flight (one computed, one from the response cache), refuses new connections, and exits 0', async () => {
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
      const repeated = JSON.stringify({ query: '{ entity(name: "Mali") { id name } }' });
      // Answered once, so that the same request later comes from the response cache.
      const first = await fetch(new URL('/graphql', url.origin), { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: repeated });
      const firstText = await first.text();
      expect(firstText).toContain('"name":"Mali"');

      /** Open a connection and send a request with only the first 10 bytes of its body. */
      const halfSent = async (text: string) => {
        const socket = connect(Number(url.port), '127.0.0.1');
        let response = '';
        socket.setEncoding('utf8').on('data', (chunk: string) => (response += chunk));
        const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
        await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
        socket.write(`POST /graphql HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n`);
        socket.write(text.slice(0, 10));
        return { finish: () => socket.write(text.slice(10)), closed, response: () => response };
      };
      const computed = await halfSent(body);
      const cached = await halfSent(repeated);
      // Wait until the server counts them: the /metrics request itself is the other one in flight.
      for (let i = 0; i < 100 && (await inFlight(url.origin)) < 3; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await inFlight(url.origin)).toBe(3);

      child.process.kill('SIGTERM');
      const draining = await child.waitForLine((l) => l.msg === 'draining');
      expect(draining.inFlight).toBe(2);

      // No new connections once draining.
      await expect(fetch(new URL('/health', url.origin))).rejects.toThrow();

      // The requests in flight still get their full answers.
      computed.finish();
      cached.finish();
      await Promise.all([computed.closed, cached.closed]);
      for (const response of [computed.response(), cached.response()]) {
        expect(response).toMatch(/^HTTP\/1\.1 200 OK/);
        expect(response).toMatch(/connection: close/i);
        expect(response).toMatch(/x-request-id: [0-9a-f-]{36}/i);
      }
      expect(computed.response()).toContain('"entity":{"id":"actor:minusma","name":"MINUSMA"}');
      expect(cached.response().endsWith(`\r\n\r\n${firstText}`)).toBe(true);

      expect(await child.exited).toBe(0);
      // The first request was computed; of the two in flight, the repeated one came from the response cache.
      const requestId = (response: string) => /x-request-id: ([0-9a-f-]{36})/i.exec(response)![1];
      const logged = new Map(child.lines.filter((l) => l.msg === 'request' && l.path === '/graphql').map((l) => [l.requestId, l]));
      expect(logged.size).toBe(3);
      expect(logged.get(first.headers.get('x-request-id'))?.cached).toBeUndefined();
      expect(logged.get(requestId(computed.response()))?.cached).toBeUndefined();
      expect(logged.get(requestId(cached.response()))?.cached).toBe(true);
      expect(child.lines.some((l) => l.msg === 'stopped')).toBe(true);
    } finally {
      child.process.kill('SIGKILL');
    }
  });
});
