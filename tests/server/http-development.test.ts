/**
 * HTTP behaviour of a development server: Apollo's landing page with Sandbox
 * and the example operation, introspection, CSRF prevention, CORS for the
 * hosted Sandbox, health and readiness.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestServer, type TestServer } from '../helpers/test-server.js';

const STUDIO = 'https://studio.apollographql.com';
const EXAMPLE = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'entity-page.graphql'), 'utf8');

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { NODE_ENV: 'development', MAX_BODY_BYTES: '4096' } });
});
afterAll(async () => {
  await server?.stop();
});

describe('the landing page', () => {
  it('a browser opening /graphql gets Apollo Sandbox with the entity page preloaded for MINUSMA', async () => {
    const res = await server.fetch('/graphql', { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('embeddable-sandbox');
    const config = JSON.parse(/var embeddedSandboxConfig = (\{.*\});/.exec(html)![1]!);
    expect(config.initialState.document).toBe(EXAMPLE);
    expect(config.initialState.variables).toEqual({ name: 'MINUSMA' });
  });

  it('introspection is on, and every type, field, argument and enum value has a description', async () => {
    const { data } = await server.gql(`{ __schema { types {
      name kind description
      fields { name description args { name description } }
      inputFields { name description }
      enumValues { name description }
    } } }`);
    const missing: string[] = [];
    for (const t of data.__schema.types) {
      if (t.name.startsWith('__') || ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(t.name)) continue;
      if (!t.description) missing.push(t.name);
      for (const f of t.fields ?? []) {
        if (!f.description) missing.push(`${t.name}.${f.name}`);
        for (const a of f.args) if (!a.description) missing.push(`${t.name}.${f.name}(${a.name})`);
      }
      for (const f of t.inputFields ?? []) if (!f.description) missing.push(`${t.name}.${f.name}`);
      for (const v of t.enumValues ?? []) if (!v.description) missing.push(`${t.name}.${v.name}`);
    }
    expect(missing).toEqual([]);
  });
});

describe('CSRF prevention', () => {
  const query = encodeURIComponent('{ __typename }');

  it('a GET query without content-type or apollo-require-preflight is rejected with 400', async () => {
    const res = await server.fetch(`/graphql?query=${query}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/Cross-Site Request Forgery/);
  });

  it('a POST with a simple content-type (text/plain) is rejected with 400', async () => {
    const res = await server.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(res.status).toBe(400);
  });

  it('a GET query with apollo-require-preflight is answered', async () => {
    const res = await server.fetch(`/graphql?query=${query}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('CORS', () => {
  it('lets the hosted Sandbox make a preflight request', async () => {
    const res = await server.fetch('/graphql', {
      method: 'OPTIONS',
      headers: { origin: STUDIO, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(res.status).toBeLessThan(300);
    expect(res.headers.get('access-control-allow-origin')).toBe(STUDIO);
    expect(res.headers.get('access-control-allow-methods')).toMatch(/POST/);
    expect(res.headers.get('access-control-allow-headers')).toMatch(/content-type/);
  });

  it('answers the hosted Sandbox’s POST with access-control-allow-origin', async () => {
    const res = await server.fetch('/graphql', {
      method: 'POST',
      headers: { origin: STUDIO, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ entity(name: "MINUSMA") { id } }' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(STUDIO);
    expect(res.headers.get('vary')).toMatch(/Origin/i);
  });

  it('does not allow other origins', async () => {
    const res = await server.fetch('/graphql', {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('other routes and request errors', () => {
  it('/health is 200', async () => {
    const res = await server.fetch('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', phase: 'serving' });
  });

  it('/ready is 200 once the graph is built', async () => {
    const res = await server.fetch('/ready');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready' });
  });

  it('an unknown path is 404; an unsupported method 405', async () => {
    expect((await server.fetch('/nothing-here')).status).toBe(404);
    const put = await server.fetch('/graphql', { method: 'PUT', body: '{}' });
    expect(put.status).toBe(405);
  });

  it('a body that is not JSON is 400', async () => {
    const res = await server.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as any;
    expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('a body over MAX_BODY_BYTES is 413', async () => {
    const res = await server.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ __typename } # ${'x'.repeat(5000)}` }),
    });
    expect(res.status).toBe(413);
  });

  it('every response carries a request id', async () => {
    const res = await server.fetch('/health');
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('readiness before a build', () => {
  it('/ready is 503 while the database holds no graph', async () => {
    const empty = await startTestServer({ build: false });
    try {
      const res = await empty.fetch('/ready');
      expect(res.status).toBe(503);
      expect((await empty.fetch('/health')).status).toBe(200);
    } finally {
      await empty.stop();
    }
  });
});
