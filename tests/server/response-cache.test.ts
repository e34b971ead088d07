/**
 * The whole-response cache, through a real server: a cached answer is the
 * uncached one byte for byte; any change of the data (a forced rebuild, or a
 * direct write by another connection) invalidates it; a request Apollo's CSRF
 * prevention rejects is never answered from it; errors, mutations and other
 * callers' answers are never served from it.
 *
 * Whether an answer came from the cache is read from the store's statement
 * counter: a cached answer runs no SQL.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';

import { ApolloServer, HeaderMap } from '@apollo/server';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';

import { buildGraph } from '../../src/build/build-graph.js';
import { bodyHash, passesCsrfGuard, ResponseCache, responseCachePlugin, watchVerdict, type VersionProbe } from '../../src/server/response-cache.js';
import { createSeedFixture, FIXTURE_ANNOTATION_FILE, removeSeedFixture } from '../helpers/seed-fixture.js';
import { AUTH, startTestServer, type TestServer } from '../helpers/test-server.js';

const PAGE = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'entity-page.graphql'), 'utf8');
const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

/** POST a raw body with headers; status, content type and body text. */
async function post(server: TestServer, body: string, headers: Record<string, string> = JSON_HEADERS) {
  const res = await server.fetch('/graphql', { method: 'POST', headers, body });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

/** Run `send` and say how many SQL statements the server ran meanwhile. */
async function statementsDuring<T>(server: TestServer, send: () => Promise<T>): Promise<{ result: T; statements: number }> {
  const before = server.store.statementCount;
  const result = await send();
  return { result, statements: server.store.statementCount - before };
}

describe('a cached answer', () => {
  let cached: TestServer;
  let uncached: TestServer;
  beforeAll(async () => {
    cached = await startTestServer({ env: { NODE_ENV: 'production' } });
    uncached = await startTestServer({ env: { NODE_ENV: 'production', RESPONSE_CACHE_BYTES: '0' } });
  });
  afterAll(async () => {
    await cached?.stop();
    await uncached?.stop();
  });

  it('is byte for byte the answer computed without a cache, and runs no SQL', async () => {
    for (const name of ['MINUSMA', 'blue helmets', 'Vassily Nebenzia', 'nobody at all']) {
      const body = JSON.stringify({ query: PAGE, variables: { name } });
      const reference = await post(uncached, body);
      const first = await statementsDuring(cached, () => post(cached, body));
      const second = await statementsDuring(cached, () => post(cached, body));
      expect(reference.status).toBe(200);
      expect(first.statements).toBeGreaterThan(0);
      expect(second.statements).toBe(0);
      expect(first.result).toEqual(reference);
      expect(second.result).toEqual(reference);
    }
  });

  it('is the same for a body sent in several pieces as for the body sent at once', async () => {
    const body = JSON.stringify({ query: PAGE, variables: { name: 'Bamako' } });
    const reference = await post(uncached, body);
    /** POST `body` in three writes with pauses, so that the server reads it in several chunks. */
    const inPieces = () =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = request(`${cached.origin}/graphql`, { method: 'POST', headers: { ...JSON_HEADERS, 'content-length': Buffer.byteLength(body) } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode!, text: Buffer.concat(chunks).toString('utf8') }));
        });
        req.on('error', reject);
        const third = Math.floor(body.length / 3);
        req.write(body.slice(0, third));
        setTimeout(() => {
          req.write(body.slice(third, 2 * third));
          setTimeout(() => req.end(body.slice(2 * third)), 20);
        }, 20);
      });
    const first = await statementsDuring(cached, inPieces);
    const again = await statementsDuring(cached, inPieces);
    const atOnce = await statementsDuring(cached, () => post(cached, body));
    expect(first.statements).toBeGreaterThan(0);
    expect(again.statements).toBe(0);
    expect(atOnce.statements).toBe(0);
    for (const answer of [first.result, again.result]) expect(answer).toEqual({ status: reference.status, text: reference.text });
    expect(atOnce.result).toEqual(reference);
  });

  it('is sent with its Content-Length, in one piece, like the answer it repeats', async () => {
    const body = JSON.stringify({ query: PAGE, variables: { name: 'Mali' } });
    const send = () => cached.fetch('/graphql', { method: 'POST', headers: JSON_HEADERS, body });
    const first = await send();
    const firstBytes = Buffer.from(await first.arrayBuffer());
    const second = await statementsDuring(cached, send);
    const secondBytes = Buffer.from(await second.result.arrayBuffer());
    expect(second.statements).toBe(0);
    expect(first.headers.get('content-length')).toBe(String(firstBytes.length));
    expect(second.result.headers.get('content-length')).toBe(String(firstBytes.length));
    expect(second.result.headers.get('transfer-encoding')).toBeNull();
    expect(secondBytes.equals(firstBytes)).toBe(true);
  });

  it('is per Accept header: the media type Apollo negotiated is not replayed to another Accept', async () => {
    const body = JSON.stringify({ query: '{ entity(name: "Mali") { id } }' });
    const json = await post(cached, body, { 'content-type': 'application/json', accept: 'application/json' });
    const gqlResponse = await post(cached, body, { 'content-type': 'application/json', accept: 'application/graphql-response+json' });
    expect(json.type).toMatch(/^application\/json/);
    expect(gqlResponse.type).toMatch(/^application\/graphql-response\+json/);
    expect(gqlResponse.text).toBe(json.text);
  });

  it('is per caller: an answer computed for one API key is not served to another caller', async () => {
    const body = JSON.stringify({ query: '{ entity(name: "Russia") { id name } }' });
    await post(cached, body);
    const anonymous = await statementsDuring(cached, () => post(cached, body));
    const keyed = await statementsDuring(cached, () => post(cached, body, { ...JSON_HEADERS, ...AUTH }));
    const keyedAgain = await statementsDuring(cached, () => post(cached, body, { ...JSON_HEADERS, ...AUTH }));
    expect(anonymous.statements).toBe(0);
    expect(keyed.statements).toBeGreaterThan(0);
    expect(keyedAgain.statements).toBe(0);
    expect(keyed.result).toEqual(anonymous.result);
  });

  it('is never an error: an answer with errors is computed every time', async () => {
    const body = JSON.stringify({ query: '{ entity(name: "MINUSMA") { name relationships(first: 101) { totalCount } } }' });
    for (let i = 0; i < 3; i++) {
      const { result, statements } = await statementsDuring(cached, () => post(cached, body));
      expect(JSON.parse(result.text).errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(statements).toBeGreaterThan(0);
    }
  });
});

describe('CSRF', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { NODE_ENV: 'production' } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('a POST with a simple content type is rejected even when the same body is cached', async () => {
    const body = JSON.stringify({ query: '{ entity(name: "MINUSMA") { id } }' });
    expect((await post(server, body)).status).toBe(200);
    expect((await post(server, body)).status).toBe(200);
    for (const type of ['text/plain', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const rejected = await post(server, body, { 'content-type': type });
      expect(rejected.status, type).toBe(400);
      expect(rejected.text).not.toContain('actor:minusma');
    }
  });

  it('a GET without a preflight header is rejected even when the same URL was cached with one', async () => {
    const path = `/graphql?query=${encodeURIComponent('{ entity(name: "Mali") { id } }')}`;
    const allowed = await server.fetch(path, { headers: { 'apollo-require-preflight': 'true' } });
    expect(allowed.status).toBe(200);
    const again = await statementsDuring(server, () => server.fetch(path, { headers: { 'apollo-require-preflight': 'true' } }).then((r) => r.text()));
    expect(again.statements).toBe(0);
    expect(again.result).toContain('actor:mali');
    const bare = await server.fetch(path);
    expect(bare.status).toBe(400);
    expect(await bare.text()).not.toContain('actor:mali');
    const simple = await server.fetch(path, { headers: { 'content-type': 'text/plain' } });
    expect(simple.status).toBe(400);
  });

  it('the guard agrees with Apollo on what it lets through', () => {
    const req = (method: string, headers: Record<string, string>) => ({ method, url: '/graphql', headers, body: '' });
    expect(passesCsrfGuard(req('POST', { 'content-type': 'application/json' }))).toBe(true);
    expect(passesCsrfGuard(req('POST', { 'content-type': 'application/json; charset=utf-8' }))).toBe(true);
    expect(passesCsrfGuard(req('POST', { 'content-type': 'text/plain' }))).toBe(false);
    expect(passesCsrfGuard(req('POST', {}))).toBe(false);
    expect(passesCsrfGuard(req('GET', {}))).toBe(false);
    expect(passesCsrfGuard(req('GET', { 'x-apollo-operation-name': 'Q' }))).toBe(true);
    expect(passesCsrfGuard(req('GET', { 'apollo-require-preflight': '' }))).toBe(false);
    expect(passesCsrfGuard(req('GET', { 'content-type': 'TEXT/PLAIN' }))).toBe(false);
    expect(passesCsrfGuard(req('GET', { 'content-type': 'application/json' }))).toBe(true);
    expect(passesCsrfGuard(req('PUT', { 'content-type': 'application/json' }))).toBe(false);
  });
});

describe('invalidation', () => {
  it('a forced rebuild with changed seeds changes the answer', async () => {
    const dir = createSeedFixture();
    const server = await startTestServer({ seedsDir: dir, env: { NODE_ENV: 'production' } });
    try {
      const body = JSON.stringify({ query: '{ entity(name: "Rivertown") { description } }' });
      const before = JSON.parse((await post(server, body)).text).data.entity.description;
      expect(before).toBe('A town on the river.');
      expect((await statementsDuring(server, () => post(server, body))).statements).toBe(0);

      const path = join(dir, FIXTURE_ANNOTATION_FILE);
      const annotation = parseYaml(readFileSync(path, 'utf8'));
      annotation.entities.find((e: { id: string }) => e.id === 'place:rivertown').description = 'A town that lies on the river.';
      writeFileSync(path, stringify(annotation));
      await buildGraph(server.store, dir, { force: true });

      const after = JSON.parse((await post(server, body)).text).data.entity.description;
      expect(after).toBe('A town that lies on the river.');
    } finally {
      await server.stop();
      removeSeedFixture(dir);
    }
  });

  it('a direct write by another connection changes the answer', async () => {
    const server = await startTestServer({ env: { NODE_ENV: 'production' } });
    try {
      const body = JSON.stringify({ query: '{ entity(name: "MINUSMA") { name description } }' });
      const before = JSON.parse((await post(server, body)).text).data.entity;
      await post(server, body);
      const other = new Database(server.dbPath);
      other.prepare("UPDATE entities SET description = 'Rewritten elsewhere.' WHERE id = 'actor:minusma'").run();
      other.close();
      const after = JSON.parse((await post(server, body)).text).data.entity;
      expect(after.name).toBe(before.name);
      expect(before.description).not.toBe('Rewritten elsewhere.');
      expect(after.description).toBe('Rewritten elsewhere.');
    } finally {
      await server.stop();
    }
  });
});

describe('mutations on the real server', () => {
  it('a mutation is executed every time, however often the same request is sent', async () => {
    const key = 'response-cache-test-key';
    const sha256 = createHash('sha256').update(key).digest('hex');
    const server = await startTestServer({ env: { NODE_ENV: 'production', API_KEYS: `curator:${sha256}` } });
    try {
      const body = JSON.stringify({ query: 'mutation { confirmEntity(id: "actor:minusma") { id } }' });
      const headers = { ...JSON_HEADERS, authorization: `Bearer ${key}` };
      for (let i = 0; i < 3; i++) {
        const { result, statements } = await statementsDuring(server, () => post(server, body, headers));
        expect(result.status).toBe(200);
        expect(JSON.parse(result.text)).toEqual({ data: { confirmEntity: { id: 'actor:minusma' } } });
        expect(statements).toBeGreaterThan(0);
      }
    } finally {
      await server.stop();
    }
  });
});

describe('mutations and the size bound', () => {
  /** A schema with a mutation, run through the plugin and the cache as http-server.ts does. */
  async function harness(maxBytes: number) {
    let counter = 0;
    const apollo = new ApolloServer<object>({
      typeDefs: 'type Query { hello(n: Int): String! } type Mutation { bump: Int! }',
      resolvers: { Query: { hello: (_: unknown, { n }: { n?: number }) => `hello ${n ?? ''}`.padEnd(200, '.') }, Mutation: { bump: () => ++counter } },
      plugins: [responseCachePlugin()],
    });
    await apollo.start();
    let version = 1;
    const probe: VersionProbe = { current: () => version, close: () => undefined };
    const cache = new ResponseCache({ maxBytes }, probe);
    const send = async (query: string) => {
      const body = JSON.stringify({ query });
      const request = { method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, body };
      const looked = await cache.lookup(request);
      if (looked && 'hit' in looked) return { text: looked.hit.body.toString(), hit: true };
      const headers = new HeaderMap([['content-type', 'application/json']]);
      const context = watchVerdict({});
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: 'POST', headers, search: '', body: JSON.parse(body) },
        context: async () => context,
      });
      const text = response.body.kind === 'complete' ? response.body.string : '';
      if (looked) await cache.store(looked.ticket, context, response.status ?? 200, Object.fromEntries(response.headers), text);
      return { text, hit: false };
    };
    return { apollo, cache, send, bumpVersion: () => version++ };
  }

  it('a mutation is executed every time', async () => {
    const { apollo, send } = await harness(1 << 20);
    const answers = [await send('mutation { bump }'), await send('mutation { bump }'), await send('mutation { bump }')];
    expect(answers.map((a) => a.hit)).toEqual([false, false, false]);
    expect(answers.map((a) => JSON.parse(a.text).data.bump)).toEqual([1, 2, 3]);
    expect((await send('{ hello }')).hit).toBe(false);
    expect((await send('{ hello }')).hit).toBe(true);
    await apollo.stop();
  });

  it('a version change empties it; it never holds more than its byte bound', async () => {
    const { apollo, cache, send, bumpVersion } = await harness(4096);
    await send('{ hello(n: 1) }');
    expect((await send('{ hello(n: 1) }')).hit).toBe(true);
    bumpVersion();
    expect((await send('{ hello(n: 1) }')).hit).toBe(false);
    for (let n = 0; n < 100; n++) await send(`{ hello(n: ${n}) }`);
    expect(cache.size).toBeGreaterThan(0);
    expect(cache.size).toBeLessThanOrEqual(4096);
    expect((await send('{ hello(n: 99) }')).hit).toBe(true);
    expect((await send('{ hello(n: 0) }')).hit).toBe(false);
    await apollo.stop();
  });

  it('two bodies with the same hash never get each other\'s answer: the later one takes the slot', async () => {
    // Bodies of one length differ only in n; among ~10^5 of them two 32-bit hashes agree (birthday bound).
    const body = (n: number) => JSON.stringify({ query: `{ hello(n: ${n}) }` });
    const seen = new Map<number, number>();
    let pair: [number, number] | null = null;
    for (let n = 100_000; n < 1_000_000 && pair === null; n++) {
      const hash = bodyHash(Buffer.from(body(n)));
      const earlier = seen.get(hash);
      if (earlier !== undefined) pair = [earlier, n];
      else seen.set(hash, n);
    }
    expect(pair).not.toBeNull();
    const [a, b] = pair!;
    expect(body(a)).not.toBe(body(b));
    const { apollo, send } = await harness(1 << 20);
    const answerA = await send(`{ hello(n: ${a}) }`);
    expect(answerA.text).toContain(`hello ${a}`);
    const answerB = await send(`{ hello(n: ${b}) }`);
    expect(answerB.hit).toBe(false);
    expect(answerB.text).toContain(`hello ${b}`);
    expect(await send(`{ hello(n: ${b}) }`)).toEqual({ text: answerB.text, hit: true });
    expect(await send(`{ hello(n: ${a}) }`)).toEqual({ text: answerA.text, hit: false });
    await apollo.stop();
  });
});

describe('bodyHash', () => {
  it('depends on the bytes only, not on where they sit in memory (aligned or not)', () => {
    const bytes = Buffer.from(JSON.stringify({ query: PAGE, variables: { name: 'MINUSMA' } }));
    const backing = Buffer.alloc(bytes.length + 8);
    const hashes = [0, 1, 2, 3, 4].map((offset) => {
      bytes.copy(backing, offset);
      return bodyHash(backing.subarray(offset, offset + bytes.length));
    });
    expect(new Set(hashes).size).toBe(1);
    for (let length = 0; length <= 9; length++) {
      const at0 = Buffer.alloc(length + 1);
      const at1 = Buffer.alloc(length + 1);
      bytes.copy(at0, 0, 0, length);
      bytes.copy(at1, 1, 0, length);
      expect(bodyHash(at1.subarray(1)), `length ${length}`).toBe(bodyHash(at0.subarray(0, length)));
    }
  });

  it('tells apart bodies that differ in one byte, in the length, or in the last bytes', () => {
    const bytes = Buffer.from(JSON.stringify({ query: PAGE, variables: { name: 'MINUSMA' } }));
    const hash = bodyHash(bytes);
    for (let i = 0; i < bytes.length; i += 7) {
      const changed = Buffer.from(bytes);
      changed[i] = changed[i]! ^ 1;
      expect(bodyHash(changed), `byte ${i}`).not.toBe(hash);
    }
    expect(bodyHash(bytes.subarray(0, bytes.length - 1))).not.toBe(hash);
    expect(bodyHash(Buffer.concat([bytes, Buffer.from([0])]))).not.toBe(hash);
    expect(bodyHash(Buffer.alloc(0))).not.toBe(bodyHash(Buffer.alloc(4)));
  });
});
