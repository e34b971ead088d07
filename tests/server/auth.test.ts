/**
 * API keys: every mutation needs one (checked generically, before any
 * resolver), a missing or wrong key gets the same 401 UNAUTHENTICATED, reads
 * are public unless REQUIRE_KEY_FOR_READS=true. The schema under test is the
 * project's plus a probe mutation whose resolver checks nothing itself.
 */
import { readFileSync } from 'node:fs';

import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { requireCaller } from '../../src/schema/auth.js';
import type { GraphContext } from '../../src/schema/context.js';
import { resolvers } from '../../src/schema/resolvers/index.js';
import { SCHEMA_PATH } from '../../src/server/apollo.js';
import { authenticate, hashApiKey, parseApiKeys } from '../../src/server/auth.js';
import { AUTH, startTestServer, type TestServer } from '../helpers/test-server.js';

const CI_KEY = 'ci-key-0123456789abcdef';
const ANALYST_KEY = 'analyst-key-fedcba9876543210';
const API_KEYS = `ci:${hashApiKey(CI_KEY)},analyst:${hashApiKey(ANALYST_KEY)}`;
const UNAUTHENTICATED = 'Authentication required: send a valid API key as "Authorization: Bearer <key>".';

/** The project's SDL with probe mutations added (whether or not it already has a Mutation type). */
function probeTypeDefs(): string {
  const sdl = readFileSync(SCHEMA_PATH, 'utf8');
  const fields = `
    "Test probe: runs without checking the caller itself."
    unguardedProbe: String
    "Test probe: returns the caller's key name via requireCaller."
    whoAmI: String`;
  return /\btype Mutation\b/.test(sdl)
    ? `${sdl}\nextend type Mutation {${fields}\n}\n`
    : `${sdl}\ntype Mutation {${fields}\n}\nextend schema { mutation: Mutation }\n`;
}

describe('API keys on mutations (reads public)', () => {
  let server: TestServer;
  let unguardedRuns = 0;
  beforeAll(async () => {
    server = await startTestServer({
      env: { API_KEYS },
      start: {
        schema: {
          typeDefs: probeTypeDefs(),
          resolvers: {
            ...(resolvers as object),
            Mutation: {
              ...((resolvers as { Mutation?: object }).Mutation ?? {}),
              unguardedProbe: () => {
                unguardedRuns++;
                return 'ran';
              },
              whoAmI: (_: unknown, __: unknown, ctx: GraphContext) => requireCaller(ctx).name,
            },
          } as never,
        },
      },
    });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('refuses a mutation without a key: 401 UNAUTHENTICATED, and the resolver never runs', async () => {
    const { status, errors, data } = await server.gql('mutation { unguardedProbe }');
    expect(status).toBe(401);
    expect(data).toBeUndefined();
    expect(errors).toEqual([{ message: UNAUTHENTICATED, extensions: { code: 'UNAUTHENTICATED' } }]);
    expect(unguardedRuns).toBe(0);
  });

  it('gives a wrong key, or a malformed header, exactly the same answer as a missing one', async () => {
    const answers = [];
    for (const authorization of ['Bearer not-a-key', `Bearer ${CI_KEY}x`, `Basic ${Buffer.from(`ci:${CI_KEY}`).toString('base64')}`, 'Bearer', CI_KEY]) {
      const res = await server.gql('mutation { unguardedProbe }', undefined, { authorization });
      answers.push({ status: res.status, body: res.body });
    }
    for (const answer of answers) {
      expect(answer).toEqual({ status: 401, body: { errors: [{ message: UNAUTHENTICATED, extensions: { code: 'UNAUTHENTICATED' } }] } });
    }
    expect(unguardedRuns).toBe(0);
  });

  it('runs a mutation with a valid key and tells the resolver who called', async () => {
    const ci = await server.gql('mutation { whoAmI unguardedProbe }', undefined, { authorization: `Bearer ${CI_KEY}` });
    expect(ci.status).toBe(200);
    expect(ci.data).toEqual({ whoAmI: 'ci', unguardedProbe: 'ran' });
    const analyst = await server.gql('mutation { whoAmI }', undefined, { authorization: `bearer ${ANALYST_KEY}` });
    expect(analyst.data).toEqual({ whoAmI: 'analyst' });
  });

  it('serves reads without a key', async () => {
    const { status, data } = await server.gql('{ entity(name: "MINUSMA") { id } }');
    expect(status).toBe(200);
    expect(data.entity.id).toBe('actor:minusma');
  });

  it('refuses a read that sends a wrong key (a key that is sent must be valid)', async () => {
    const { status, errors } = await server.gql('{ __typename }', undefined, { authorization: 'Bearer wrong' });
    expect(status).toBe(401);
    expect(errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses writes to any other route without a key (future write endpoints are covered)', async () => {
    const anonymous = await fetch(new URL('/some/future/endpoint', server.url), { method: 'POST', body: '{}' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    const keyed = await fetch(new URL('/some/future/endpoint', server.url), { method: 'POST', body: '{}', headers: { authorization: `Bearer ${CI_KEY}` } });
    expect(keyed.status).toBe(404);
    // The export routes are read-only: a keyed write is refused as a wrong method, an anonymous one as unauthenticated.
    expect((await fetch(new URL('/export/entities.csv', server.url), { method: 'POST', body: '{}' })).status).toBe(401);
    const keyedExport = await fetch(new URL('/export/entities.csv', server.url), { method: 'POST', body: '{}', headers: { authorization: `Bearer ${CI_KEY}` } });
    expect(keyedExport.status).toBe(405);
  });
});

describe('REQUIRE_KEY_FOR_READS=true', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { API_KEYS, REQUIRE_KEY_FOR_READS: 'true' } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('refuses reads without a key, on /graphql and on other routes', async () => {
    const { status, errors } = await server.gql('{ __typename }');
    expect(status).toBe(401);
    expect(errors?.[0]?.message).toBe(UNAUTHENTICATED);
    const get = await fetch(`${server.url}?query=${encodeURIComponent('{ __typename }')}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(get.status).toBe(401);
    expect((await fetch(new URL('/export/entities', server.url))).status).toBe(401);
  });

  it('serves reads with a key', async () => {
    const { status, data } = await server.gql('{ __typename }', undefined, { authorization: `Bearer ${ANALYST_KEY}` });
    expect(status).toBe(200);
    expect(data).toEqual({ __typename: 'Query' });
  });

  it('leaves /health, /ready and /metrics open for operators', async () => {
    for (const path of ['/health', '/ready', '/metrics']) expect((await fetch(new URL(path, server.url))).status, path).toBe(200);
  });
});

describe('keys and their hashes', () => {
  it('hashes with SHA-256 (the well-known digest of "test")', () => {
    expect(hashApiKey('test')).toBe('9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08');
  });

  it('parses API_KEYS and refuses malformed or duplicate entries without echoing them', () => {
    const keys = parseApiKeys(` ci:${'a'.repeat(64)} , ops:${'B'.repeat(64)} `);
    expect(keys.map((k) => k.name)).toEqual(['ci', 'ops']);
    expect(keys[1]!.sha256).toEqual(Buffer.alloc(32, 0xbb));
    expect(() => parseApiKeys('ci')).toThrow(/entry 1/);
    expect(() => parseApiKeys(`ci:${'a'.repeat(63)}`)).toThrow(/entry 1/);
    expect(() => parseApiKeys(`ci:${'a'.repeat(64)},ci:${'b'.repeat(64)}`)).toThrow(/unique/);
    expect(() => parseApiKeys(`ci:${'z'.repeat(64)}`)).toThrow(/^(?!.*zzzz).*$/s);
  });

  it('authenticates a Bearer key against the hashes', () => {
    const keys = parseApiKeys(API_KEYS);
    expect(authenticate(undefined, keys)).toEqual({ kind: 'anonymous' });
    expect(authenticate(`Bearer ${CI_KEY}`, keys)).toEqual({ kind: 'caller', caller: { name: 'ci' } });
    expect(authenticate(`Bearer ${ANALYST_KEY}`, keys)).toEqual({ kind: 'caller', caller: { name: 'analyst' } });
    expect(authenticate(`Bearer ${CI_KEY}`, [])).toEqual({ kind: 'invalid' });
    expect(authenticate(`Token ${CI_KEY}`, keys)).toEqual({ kind: 'invalid' });
  });

  it('requireCaller returns the caller, or throws UNAUTHENTICATED with HTTP 401', () => {
    const ctx = { caller: { name: 'ci' } } as GraphContext;
    expect(requireCaller(ctx)).toEqual({ name: 'ci' });
    let thrown: unknown;
    try {
      requireCaller({ ...ctx, caller: null });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GraphQLError);
    expect((thrown as GraphQLError).extensions).toMatchObject({ code: 'UNAUTHENTICATED', http: { status: 401 } });
  });
});

describe('the test harness key', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('is accepted by default test servers (for tests of mutations)', async () => {
    const { status } = await server.gql('{ __typename }', undefined, { ...AUTH });
    expect(status).toBe(200);
    const wrong = await server.gql('{ __typename }', undefined, { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
  });
});
