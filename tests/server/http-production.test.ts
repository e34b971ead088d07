/**
 * A production server: no landing page, no introspection, and internal
 * errors reach clients masked, without stack traces; client errors keep
 * their message and code.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type CapturedLog, captureLog } from '../helpers/log-capture.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
let log: CapturedLog;
beforeAll(async () => {
  log = captureLog();
  server = await startTestServer({ env: { NODE_ENV: 'production' }, start: { logger: log.logger } });
});
afterAll(async () => {
  await server?.stop();
});

const noStack = (body: unknown) => {
  const text = JSON.stringify(body);
  expect(text).not.toMatch(/stacktrace/);
  expect(text).not.toMatch(/\bat .*\.(ts|js):\d+/);
};

describe('NODE_ENV=production', () => {
  it('serves queries', async () => {
    const { data, errors } = await server.gql('{ entity(name: "blue helmets") { id } }');
    expect(errors).toBeUndefined();
    expect(data.entity.id).toBe('actor:minusma');
  });

  it('has no landing page', async () => {
    const res = await server.fetch('/graphql', { headers: { accept: 'text/html' } });
    expect(await res.text()).not.toMatch(/embeddable-sandbox|EmbeddedSandbox/);
  });

  it('has introspection off', async () => {
    const { status, errors } = await server.gql('{ __schema { types { name } } }');
    expect(status).toBe(400);
    expect(errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(errors?.[0]?.message).toMatch(/introspection/i);
  });

  it('keeps client errors’ messages and codes, without stack traces', async () => {
    const bad = await server.gql('{ entities(first: -1) { totalCount } }');
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0]?.message).toMatch(/first/);
    noStack(bad.body);
    const invalid = await server.gql('{ entities(kind: WIZARDS) { totalCount } }');
    expect(invalid.status).toBe(400);
    expect(invalid.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    noStack(invalid.body);
    const csrf = await server.fetch(`/graphql?query=${encodeURIComponent('{ __typename }')}`);
    expect(csrf.status).toBe(400);
    noStack(await csrf.json());
  });

  it('does not suggest schema fields to clients', async () => {
    const { errors } = await server.gql('{ entitie { totalCount } }');
    expect(errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(errors?.[0]?.message).not.toMatch(/Did you mean/);
  });

  // Last: it breaks the database behind the server's back.
  it('a forced internal error reaches the client as "Internal server error", without detail; the log has it', async () => {
    const db = new Database(server.dbPath);
    db.exec('DROP TABLE relationships');
    db.close();
    {
      const result = await server.gql('{ relationships { totalCount } entity(name: "Wagner") { id } }');
      expect(result.status).toBeLessThan(500);
      expect(result.errors).toHaveLength(1);
      expect(result.errors![0]).toEqual({
        message: 'Internal server error',
        locations: [{ line: 1, column: 3 }],
        path: ['relationships'],
        // The request id lets an operator find the detail in the log.
        extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
      });
      noStack(result.body);
      expect(JSON.stringify(result.body)).not.toMatch(/no such table|SqliteError|relationships r/);
      // `relationships` is non-null, so the error nulls the whole of `data`.
      expect(result.data).toBeNull();
      const logged = log.text();
      expect(logged).toMatch(/no such table: relationships/);
    }
  });

  it('names every response: its own request id and the graph version, whatever answered it', async () => {
    const post = (body: string, headers: Record<string, string> = {}) =>
      server.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const page = JSON.stringify({ query: '{ entity(name: "MINUSMA") { name } }' });
    const responses: [string, Response][] = [
      ['computed', await post(page)],
      ['from the response cache', await post(page)],
      ['a client error', await post(JSON.stringify({ query: '{ nope }' }))],
      ['invalid JSON', await post('{')],
      ['too large', await post(JSON.stringify({ query: `{ __typename } #${'x'.repeat(2 * 1024 * 1024)}` }))],
      ['preflight', await server.fetch('/graphql', { method: 'OPTIONS' })],
      ['no such route', await server.fetch('/nowhere')],
      ['health', await server.fetch('/health')],
      ['metrics', await server.fetch('/metrics')],
      ['export', await server.fetch('/export/entities.csv')],
    ];
    const version = (await server.store.graphVersion()).toString();
    const ids = new Set<string>();
    for (const [what, res] of responses) {
      await res.arrayBuffer().catch(() => undefined);
      expect(res.headers.get('x-request-id'), what).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(res.headers.get('x-graph-version'), what).toBe(version);
      ids.add(res.headers.get('x-request-id')!);
    }
    expect(ids.size).toBe(responses.length);
    // The cached answer is the computed one, byte for byte, under its own id.
    const [computed, cached] = await Promise.all([post(page), post(page)].map(async (r) => (await r).text()));
    expect(cached).toBe(computed);
  });
});
