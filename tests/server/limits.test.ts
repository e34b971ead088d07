/**
 * Query limits over HTTP: each limit rejects with QUERY_LIMIT_EXCEEDED naming
 * it, every time the same request comes (Apollo caches parsed documents), and
 * is configurable. Expected costs follow the formula documented in README.md
 * (one per field, times `first` of each connection), worked out by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { loadConfig } from '../../src/server/config.js';
import { costKey } from '../../src/server/plugins/query-limits.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/** POST a raw body. */
async function post(url: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, body: json };
}

describe('query limits (small limits configured through the environment)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      env: { MAX_DEPTH: '5', MAX_ALIASES: '3', MAX_DIRECTIVES: '4', MAX_TOKENS: '60', MAX_COST: '500' },
    });
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** Send the same over-limit operation twice; both must be refused the same way. */
  async function expectRejectedTwice(query: string, limit: string, max: number, actual?: number, variables?: Record<string, unknown>) {
    for (let attempt = 1; attempt <= 2; attempt++) {
      const { status, errors, data } = await server.gql(query, variables);
      expect(status, `attempt ${attempt}`).toBe(400);
      expect(data).toBeUndefined();
      expect(errors).toHaveLength(1);
      expect(errors![0]!.extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit, max });
      if (actual !== undefined) expect(errors![0]!.extensions!.actual).toBe(actual);
      expect(errors![0]!.message).toContain(`limit "${limit}"`);
    }
  }

  it('depth: 6 levels (entities > nodes > relationships > nodes > source > name) is over a limit of 5, twice', async () => {
    await expectRejectedTwice('{ entities(first: 1) { nodes { relationships(first: 1) { nodes { source { name } } } } } }', 'depth', 5, 6);
  });

  it('depth: 5 levels pass, twice (the cached document is checked again and still passes)', async () => {
    for (let i = 0; i < 2; i++) {
      const { status, errors } = await server.gql('{ entities(first: 1) { nodes { relationships(first: 1) { nodes { type } } } } }');
      expect(errors).toBeUndefined();
      expect(status).toBe(200);
    }
  });

  it('aliases: 4 aliases are over a limit of 3, twice; 3 pass', async () => {
    const aliased = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: documents(first: 0) { totalCount }`).join(' ')} }`;
    await expectRejectedTwice(aliased(4), 'aliases', 3, 4);
    const ok = await server.gql(aliased(3));
    expect(ok.errors).toBeUndefined();
    expect(ok.data.a0.totalCount).toBe(1); // one seed article
  });

  it('directives: 5 directives are over a limit of 4, twice', async () => {
    await expectRejectedTwice(`{ ${'__typename @include(if: true) '.repeat(5)}}`, 'directives', 4, 5);
  });

  it('tokens: 62 tokens are over a limit of 60, twice, with a message naming the limit', async () => {
    await expectRejectedTwice(`{ ${'__typename '.repeat(60)}}`, 'tokens', 60);
  });

  it('cost: entities(first: 100) with 4 leaf fields costs 1 + 100 × (1 + 4) = 501, over 500, twice', async () => {
    await expectRejectedTwice('{ entities(first: 100) { nodes { id name aliases description } } }', 'cost', 500, 501);
  });

  it('cost uses the variables of each request: first: $n = 100 is refused, 10 passes (1 + 10 × 5 = 51)', async () => {
    const query = 'query Page($n: Int) { entities(first: $n) { nodes { id name aliases description } } }';
    await expectRejectedTwice(query, 'cost', 500, 501, { n: 100 });
    const ok = await server.gql(query, { n: 10 });
    expect(ok.errors).toBeUndefined();
    expect(ok.data.entities.nodes).toHaveLength(10);
  });

  it('cost is remembered per variables shape: @include follows its boolean, and a string that does not fit is never remembered as "no cost"', async () => {
    // 1 + 100 × (1 + 4) = 501 with the description, 1 + 100 × (1 + 3) = 401 without.
    const query = 'query Shape($n: Int, $more: Boolean!, $type: EntityType) { entities(first: $n, type: $type) { nodes { id name aliases description @include(if: $more) } } }';
    await expectRejectedTwice(query, 'cost', 500, 501, { n: 100, more: true });
    const without = await server.gql(query, { n: 100, more: false });
    expect(without.errors).toBeUndefined();
    await expectRejectedTwice(query, 'cost', 500, 501, { n: 100, more: true });
    // Variables that do not fit (no such EntityType) cannot be priced: execution reports them ...
    const unfit = await server.gql(query, { n: 100, more: true, type: 'NO_SUCH_TYPE' });
    expect(unfit.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // ... and the same shape with a fitting string is priced, not let through.
    await expectRejectedTwice(query, 'cost', 500, 501, { n: 100, more: true, type: 'ACTOR' });
  });

  it('costKey keeps what a cost depends on (numbers, booleans, nulls, list lengths) and blanks strings', () => {
    expect(costKey('Q', { name: 'Mali', n: 10 })).toBe(costKey('Q', { name: 'Russia', n: 10 }));
    expect(costKey('Q', { n: 10 })).not.toBe(costKey('Q', { n: 11 }));
    expect(costKey('Q', { more: true })).not.toBe(costKey('Q', { more: false }));
    expect(costKey('Q', { ids: ['a', 'b'] })).not.toBe(costKey('Q', { ids: ['a', 'b', 'c'] }));
    expect(costKey('Q', { ids: ['a', 'b'] })).toBe(costKey('Q', { ids: ['c', 'd'] }));
    expect(costKey('Q', { n: null })).not.toBe(costKey('Q', {}));
    expect(costKey('Q', { n: 1 })).not.toBe(costKey('R', { n: 1 }));
    expect(costKey(undefined, { pad: 'x'.repeat(5000) })).not.toBeNull(); // strings are blanked before the length check
    expect(costKey(undefined, { ids: Array.from({ length: 2000 }, (_, i) => i) })).toBeNull();
    // Variables nested 10,000 deep (the hostile-input suite sends them): not remembered, and no exception.
    expect(costKey(undefined, JSON.parse(`{"v": ${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`))).toBeNull();
  });

  it('cost: a connection without first is priced at the default page size of 20 (1 + 20 × 5 = 101, under 500)', async () => {
    const ok = await server.gql('{ entities { nodes { id name aliases description } } }');
    expect(ok.errors).toBeUndefined();
  });

  it('page sizes are capped at 100 by the schema (BAD_USER_INPUT for 101)', async () => {
    const { errors } = await server.gql('{ entities(first: 101) { nodes { id } } }');
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('batched requests are refused by default (limit "batch" is 0)', async () => {
    const { status, body } = await post(server.url, JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]));
    expect(status).toBe(400);
    expect(body.errors[0].extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'batch', max: 0 });
  });

  it('counts rejections by limit in /metrics', async () => {
    const text = await (await fetch(new URL('/metrics', server.url))).text();
    for (const limit of ['depth', 'aliases', 'directives', 'tokens', 'cost', 'batch']) {
      const match = new RegExp(`kg_rejections_total\\{limit="${limit}"\\} (\\d+)`).exec(text);
      expect(Number(match?.[1] ?? 0), limit).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('batching when configured (MAX_BATCH=2)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { MAX_BATCH: '2' } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('answers a batch of 2 with 2 results', async () => {
    const { status, body } = await post(server.url, JSON.stringify([{ query: '{ a: __typename }' }, { query: '{ b: __typename }' }]));
    expect(status).toBe(200);
    expect(body).toEqual([{ data: { a: 'Query' } }, { data: { b: 'Query' } }]);
  });

  it('refuses a batch of 3, naming the limit', async () => {
    const batch = Array.from({ length: 3 }, () => ({ query: '{ __typename }' }));
    const { status, body } = await post(server.url, JSON.stringify(batch));
    expect(status).toBe(400);
    expect(body.errors[0].extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'batch', max: 2, actual: 3 });
  });
});

describe('body size and deadline', () => {
  let small: TestServer;
  let hurried: TestServer;
  beforeAll(async () => {
    small = await startTestServer({ env: { MAX_BODY_BYTES: '2048' } });
    // A 1 ms deadline, and no cost limit to speak of, so a large query runs into the deadline.
    hurried = await startTestServer({ env: { DEADLINE_MS: '1', MAX_COST: '100000000', MAX_DEPTH: '20' } });
  });
  afterAll(async () => {
    await small?.stop();
    await hurried?.stop();
  });

  it('answers 413 for a body over MAX_BODY_BYTES', async () => {
    const { status, body } = await post(small.url, JSON.stringify({ query: `{ __typename }`, variables: { pad: 'x'.repeat(3000) } }));
    expect(status).toBe(413);
    expect(body.errors[0].extensions).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', max: 2048 });
  });

  it('stops an operation at its deadline with one DEADLINE_EXCEEDED error and no partial data', async () => {
    const query = `{ entities(first: 100) { nodes { name aliases
      statementsAbout(first: 100) { nodes { text evidence { exact } speaker { name aliases } } }
      mentions(first: 100) { nodes { id evidence { exact start end } } }
      relationships(first: 100) { nodes { type source { name } target { name } evidence { exact } } } } } }`;
    const { status, body } = await post(hurried.url, JSON.stringify({ query }));
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.data).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0].extensions).toMatchObject({ code: 'DEADLINE_EXCEEDED', limit: 'deadline', max: 1 });
  });
});

describe('defaults', () => {
  it('are the documented ones', () => {
    const config = loadConfig({});
    expect(config.limits).toEqual({
      maxTokens: 1000,
      maxDepth: 10,
      maxAliases: 15,
      maxDirectives: 50,
      maxCost: 10_000,
      deadlineMs: 5000,
      maxBatch: 0,
    });
    expect(config.maxBodyBytes).toBe(1024 * 1024);
    expect(config.rateLimit).toEqual({ perSecond: 50, burst: 100, trustProxy: false });
  });

  it('refuse malformed values, naming the variable', () => {
    expect(() => loadConfig({ MAX_DEPTH: 'ten' })).toThrow(/MAX_DEPTH/);
    expect(() => loadConfig({ DEADLINE_MS: '0' })).toThrow(/DEADLINE_MS/);
    expect(() => loadConfig({ REQUIRE_KEY_FOR_READS: 'maybe' })).toThrow(/REQUIRE_KEY_FOR_READS/);
    expect(() => loadConfig({ API_KEYS: 'ci:nothex' })).toThrow(/API_KEYS/);
  });
});
