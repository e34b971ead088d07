/**
 * NODE_ENV=production: internal errors masked with a request id (the detail
 * only in the log), no stack traces, no field suggestions, introspection and
 * the landing page off unless enabled; the log holds no variables or keys.
 */
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { hashApiKey } from '../../src/server/auth.js';
import { requestLogger } from '../../src/server/logger.js';
import { type CapturedLog, captureLog } from '../helpers/log-capture.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

describe('production mode', () => {
  let server: TestServer;
  let log: CapturedLog;
  const key = 'prod-secret-key-0123456789';
  beforeAll(async () => {
    log = captureLog();
    server = await startTestServer({ env: { NODE_ENV: 'production', API_KEYS: `ops:${hashApiKey(key)}` }, start: { logger: log.logger } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('masks an internal error as "Internal server error" with the request id; the log has the detail', async () => {
    // A real database failure: the statements table disappears underneath the server.
    const db = new Database(join(server.dir, 'kg.sqlite'));
    db.exec('DROP TABLE statements');
    db.close();
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query Broken { statements(first: 1) { nodes { text } } }' }),
    });
    const body = (await res.json()) as any;
    const requestId = res.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0].message).toBe('Internal server error');
    expect(body.errors[0].extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId });
    expect(JSON.stringify(body)).not.toMatch(/no such table|stack|at .*\.ts/);

    const logged = log.lines.find((l) => l.msg === 'internal error' && l.requestId === requestId);
    expect(logged?.level).toBe('error');
    expect(logged?.operation).toBe('Broken');
    expect(logged?.err?.message).toMatch(/no such table: statements/);
    const access = log.lines.find((l) => l.msg === 'request' && l.requestId === requestId);
    expect(access).toMatchObject({ operations: ['Broken'], outcome: 'failed', status: 200 });
  });

  it('hides field suggestions and stack traces from validation errors', async () => {
    const { errors } = await server.gql('{ entitie(name: "Mali") { id } }');
    expect(errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(errors?.[0]?.message).not.toMatch(/Did you mean/);
    expect(errors?.[0]?.extensions?.stacktrace).toBeUndefined();
  });

  it('refuses introspection', async () => {
    const { status, errors } = await server.gql('{ __schema { queryType { name } } }');
    expect(status).toBe(400);
    expect(errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('serves no landing page', async () => {
    const res = await fetch(server.url, { headers: { accept: 'text/html' } });
    expect(res.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
  });

  it('logs one JSON line per request with request id, operation, duration and outcome, and no variables or keys', async () => {
    const secret = 'VARIABLE-VALUE-THAT-MUST-NOT-BE-LOGGED';
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: 'query EntityPage($name: String!) { entity(name: $name) { id } }', variables: { name: secret } }),
    });
    expect(res.status).toBe(200);
    await res.text();
    const requestId = res.headers.get('x-request-id');
    await new Promise((r) => setTimeout(r, 20)); // the line is written when the response closes
    const line = log.lines.find((l) => l.msg === 'request' && l.requestId === requestId);
    expect(line).toMatchObject({ level: 'info', method: 'POST', path: '/graphql', status: 200, operations: ['EntityPage'], outcome: 'ok', caller: 'ops' });
    expect(typeof line!.durationMs).toBe('number');
    expect(typeof line!.time).toBe('string');
    expect(log.text()).not.toContain(secret);
    expect(log.text()).not.toContain(key);
    expect(log.text()).not.toContain(hashApiKey(key));
  });

  it('logs an answer from the response cache like any other request, marked cached', async () => {
    const body = JSON.stringify({ query: 'query Cached($name: String!) { entity(name: $name) { id name } }', variables: { name: 'Mali' } });
    const send = async () => {
      const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      await res.text();
      return res.headers.get('x-request-id');
    };
    const computed = await send();
    const repeated = await send();
    await new Promise((r) => setTimeout(r, 20)); // the line is written when the response closes
    const lineOf = (id: string | null) => log.lines.find((l) => l.msg === 'request' && l.requestId === id);
    expect(lineOf(computed)).toMatchObject({ level: 'info', status: 200, operations: ['Cached'], outcome: 'ok' });
    expect(lineOf(computed)).not.toHaveProperty('cached');
    expect(lineOf(repeated)).toMatchObject({ level: 'info', status: 200, operations: ['Cached'], outcome: 'ok', cached: true });
  });

  it('keeps redaction on every line but the request line, whose fields it could never match', () => {
    const captured = captureLog();
    captured.logger.error({ headers: { authorization: 'Bearer SECRET-1' }, query: 'SECRET-2', err: new Error('x') }, 'failed');
    requestLogger(captured.logger).info({ requestId: 'r', path: '/graphql' }, 'request');
    expect(captured.text()).not.toContain('SECRET');
    expect(captured.lines[0]).toMatchObject({ headers: '[redacted]', query: '[redacted]', service: 'conflict-kg' });
    expect(captured.lines[1]).toMatchObject({ level: 'info', requestId: 'r', path: '/graphql', service: 'conflict-kg', msg: 'request' });
  });
});

describe('production mode with INTROSPECTION=true and LANDING_PAGE=true', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { NODE_ENV: 'production', INTROSPECTION: 'true', LANDING_PAGE: 'true' } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('answers introspection and serves the landing page', async () => {
    const { data } = await server.gql('{ __schema { queryType { name } } }');
    expect(data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    const res = await fetch(server.url, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
  });
});

describe('development mode, for contrast', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { NODE_ENV: 'development' } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('shows field suggestions', async () => {
    const { errors } = await server.gql('{ entitie(name: "Mali") { id } }');
    expect(errors?.[0]?.message).toMatch(/Did you mean .*"entity"/);
  });
});
