/**
 * Hostile input: several hundred generated requests (malformed JSON, wrong
 * media types, nesting and fan-out, alias/directive floods, bodies of many
 * megabytes, fragment cycles, SQL injection in every string argument of every
 * root field, control characters and lone surrogates, absurd pagination,
 * batches, random bytes). None may answer 5xx, take over 2 s (a hang check,
 * not a performance assertion), crash the server, or change the graph.
 *
 * The root fields and their arguments are found by introspecting the running
 * server, so fields added later are covered without editing this file.
 */
import { connect } from 'node:net';
import { join } from 'node:path';

import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  type GraphQLArgument,
  type GraphQLInputType,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  isUnionType,
  isScalarType,
  type GraphQLField,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type GraphDigest, graphDigest } from '../helpers/graph-digest.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/** Hang check per request (see the file comment). */
const MAX_MS = 2000;

/** One hostile request: how to send it; returns the HTTP status (0: the connection was closed without one). */
interface Case {
  category: string;
  name: string;
  send: (url: string) => Promise<number>;
}

/** A seeded PRNG (mulberry32), so that every run sends the same "random" input. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function postRaw(url: string, body: string | Uint8Array, headers: Record<string, string> = { 'content-type': 'application/json' }): Promise<number> {
  const res = await fetch(url, { method: 'POST', headers, body });
  await res.arrayBuffer();
  return res.status;
}

const postJson = (url: string, value: unknown, headers: Record<string, string> = {}) =>
  postRaw(url, JSON.stringify(value), { 'content-type': 'application/json', ...headers });

const gql = (query: string, variables?: Record<string, unknown>) => (url: string) => postJson(url, { query, variables });

/** Send raw bytes over TCP (not even HTTP); resolve with the status the server answered, or 0. */
function rawTcp(bytes: Uint8Array) {
  return (url: string) =>
    new Promise<number>((resolve, reject) => {
      const { port } = new URL(url);
      const socket = connect(Number(port), '127.0.0.1');
      let response = '';
      socket.on('data', (chunk) => (response += chunk.toString('latin1')));
      socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? resolve(0) : reject(error)));
      socket.on('close', () => resolve(Number(/^HTTP\/1\.[01] (\d{3})/.exec(response)?.[1] ?? 0)));
      socket.on('connect', () => {
        socket.write(bytes);
        socket.end();
      });
      socket.setTimeout(MAX_MS, () => socket.destroy());
    });
}

// ---------------------------------------------------------------------------
// Values for arguments, from their introspected types
// ---------------------------------------------------------------------------

const SQL_INJECTIONS = [
  "' OR '1'='1",
  "'; DROP TABLE entities; --",
  '" OR ""="',
  "1; DELETE FROM statements WHERE 1=1; --",
  "' UNION SELECT name, sql FROM sqlite_master --",
  "actor:mali' --",
  "%' AND 1=1 AND '%'='",
  "'); UPDATE meta SET value='x'; --",
  '\\\'; ATTACH DATABASE \'/tmp/x.db\' AS x; --',
  "1' AND (SELECT COUNT(*) FROM sqlite_master) > 0 --",
  '$1; SELECT pg_sleep(5); --',
  "' OR sqlite_version() --",
];

/** A harmless valid value for an input type (for the arguments not under attack). */
function sampleValue(type: GraphQLInputType, depth = 0): unknown {
  if (isNonNullType(type)) return sampleValue(type.ofType, depth);
  if (isListType(type)) return [sampleValue(type.ofType, depth)];
  if (isEnumType(type)) return type.getValues()[0]!.value;
  if (isInputObjectType(type)) {
    if (depth > 3) return {};
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((f) => isNonNullType(f.type))
        .map((f) => [f.name, sampleValue(f.type, depth + 1)]),
    );
  }
  switch (type.name) {
    case 'Int':
    case 'NonNegativeInt':
      return 1;
    case 'Float':
      return 1.5;
    case 'Boolean':
      return true;
    case 'LocalDate':
      return '2023-06-16';
    case 'URL':
      return 'https://example.org/';
    default:
      return 'x';
  }
}

/** Paths to every string-accepting leaf of an argument (through lists and input objects). */
function stringSlots(type: GraphQLInputType, path: (string | number)[] = [], depth = 0): (string | number)[][] {
  if (isNonNullType(type)) return stringSlots(type.ofType, path, depth);
  if (isListType(type)) return stringSlots(type.ofType, [...path, 0], depth);
  if (isInputObjectType(type)) {
    if (depth > 3) return [];
    return Object.values(type.getFields()).flatMap((f) => stringSlots(f.type, [...path, f.name], depth + 1));
  }
  if (isScalarType(type) && !['Int', 'Float', 'Boolean', 'NonNegativeInt'].includes(type.name)) return [path];
  return [];
}

function setAt(value: unknown, path: (string | number)[], leaf: unknown): unknown {
  if (path.length === 0) return leaf;
  const [head, ...rest] = path;
  const copy: any = Array.isArray(value) ? [...value] : { ...(value as object) };
  copy[head!] = setAt(copy[head!] ?? (typeof rest[0] === 'number' ? [] : {}), rest, leaf);
  return copy;
}

function selectionFor(field: GraphQLField<unknown, unknown>): string {
  const named = getNamedType(field.type);
  return isObjectType(named) || isInterfaceType(named) || isUnionType(named) ? ' { __typename }' : '';
}

/** One operation calling `field` with all its arguments as variables. */
function operationFor(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>): string {
  const defs = field.args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  const args = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
  return `${kind} Hostile${defs ? `(${defs})` : ''} { ${field.name}${args ? `(${args})` : ''}${selectionFor(field)} }`;
}

function baseVariables(args: readonly GraphQLArgument[]): Record<string, unknown> {
  return Object.fromEntries(args.map((a) => [a.name, sampleValue(a.type)]));
}

/** SQL injection and odd strings in every string slot of every argument of every root field. */
function injectionCases(schema: GraphQLSchema): Case[] {
  const cases: Case[] = [];
  const roots = [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
  ] as const;
  for (const [kind, root] of roots) {
    if (!root) continue;
    for (const field of Object.values(root.getFields())) {
      const query = operationFor(kind, field);
      for (const arg of field.args) {
        for (const slot of stringSlots(arg.type)) {
          for (const payload of SQL_INJECTIONS) {
            const variables = baseVariables(field.args);
            variables[arg.name] = setAt(variables[arg.name], slot, payload);
            cases.push({ category: 'sql-injection', name: `${kind} ${field.name}(${[arg.name, ...slot].join('.')}) ${payload}`, send: gql(query, variables) });
          }
        }
      }
    }
  }
  return cases;
}

// ---------------------------------------------------------------------------
// The other categories
// ---------------------------------------------------------------------------

function nested(levels: number, first = 1): string {
  let open = '';
  let close = '';
  for (let i = 0; i < levels; i++) {
    open += `relationships(first: ${first}) { nodes { source { `;
    close += ' } } }';
  }
  return `{ entities(first: ${first}) { nodes { ${open}name${close} } } }`;
}

function staticCases(): Case[] {
  const random = prng(20230616);
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(random() * 256));
  const cases: Case[] = [];
  const add = (category: string, name: string, send: Case['send']) => cases.push({ category, name, send });

  // Malformed JSON.
  for (const body of [
    '{',
    '{"query":',
    '{"query": "{ __typename }"',
    'null',
    '""',
    '123',
    'true',
    '[]',
    '{}',
    '{"query": null}',
    '{"query": 42}',
    '{"query": {"a": 1}}',
    '{"query": ["{ __typename }"]}',
    '{"query": "{ __typename }", "variables": "not an object"}',
    '{"query": "{ __typename }", "variables": [1, 2]}',
    '{"query": "{ __typename }", "operationName": 7}',
    '{"query": "{ __typename }", "extensions": "x"}',
    "{'query': '{ __typename }'}",
    '{"query": "{ __typename }",}',
    '\uFEFF{"query": "{ __typename }"}',
    '{"query": "{ __typename }"}{"query": "{ __typename }"}',
    '{"query": "{ __typename }", "query": "{ entities { totalCount } }"}',
    `{"query": "{ __typename }", "variables": ${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`,
    '['.repeat(100_000),
    '{"a":'.repeat(50_000),
    `{"query": "{ __typename }", "n": 1${'0'.repeat(5000)}}`,
    '\u0000\u0000\u0000',
    'NaN',
  ]) {
    add('malformed-json', JSON.stringify(body.slice(0, 40)), (url) => postRaw(url, body));
  }

  // Wrong content types: the CSRF guard and the media-type checks.
  const valid = JSON.stringify({ query: '{ __typename }' });
  for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/graphql', 'text/html', 'application/xml', 'application/jsonx', '']) {
    add('content-type', contentType || '(none)', (url) => postRaw(url, valid, contentType ? { 'content-type': contentType } : {}));
  }
  add('content-type', 'GET without a preflight header (CSRF guard)', async (url) => {
    const res = await fetch(`${url}?query=${encodeURIComponent('{ __typename }')}`);
    await res.arrayBuffer();
    return res.status;
  });
  add('content-type', 'GET mutation', async (url) => {
    const res = await fetch(`${url}?query=${encodeURIComponent('mutation { __typename }')}`, { headers: { 'apollo-require-preflight': '1' } });
    await res.arrayBuffer();
    return res.status;
  });
  for (const method of ['PUT', 'DELETE', 'PATCH']) add('content-type', `${method} /graphql`, async (url) => (await fetch(url, { method, body: valid })).status);

  // Deep nesting with fan-out.
  for (const levels of [3, 4, 6, 10, 20, 40]) add('nesting', `depth via ${levels} relationship levels`, gql(nested(levels)));
  for (const levels of [1, 2, 3, 5]) add('fan-out', `first: 100 at ${levels} levels`, gql(nested(levels, 100)));
  add('fan-out', 'every connection of every entity at 100', gql(
    '{ entities(first: 100) { nodes { statementsAbout(first: 100) { nodes { text } } mentions(first: 100) { nodes { id } } relationships(first: 100) { nodes { type } } events(first: 100) { nodes { id } } } } }',
  ));
  add('fan-out', 'nodes(ids:) with 10 000 ids', gql('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: Array.from({ length: 10_000 }, (_, i) => `actor:x${i}`) }));

  // Alias and directive floods.
  for (const n of [16, 50, 200, 1000]) {
    add('alias-flood', `${n} aliases`, gql(`{ ${Array.from({ length: n }, (_, i) => `a${i}: entities(first: 100) { totalCount }`).join(' ')} }`));
  }
  add('alias-flood', '300 aliases of __typename (allow-listed, tokens limit)', gql(`{ ${Array.from({ length: 300 }, (_, i) => `t${i}: __typename`).join(' ')} }`));
  for (const n of [51, 200, 2000]) add('directive-flood', `${n} directives`, gql(`{ ${'__typename @include(if: true) '.repeat(n)}}`));
  add('directive-flood', 'unknown directives', gql(`{ __typename ${'@unknown '.repeat(100)}}`));
  add('directive-flood', 'repeated @skip on one field', gql(`{ __typename ${'@skip(if: false) '.repeat(100)}}`));

  // Bodies of many megabytes.
  for (const mb of [2, 5, 12]) {
    add('huge-body', `${mb} MB JSON string`, (url) => postJson(url, { query: '{ __typename }', variables: { pad: 'x'.repeat(mb * 1024 * 1024) } }));
  }
  add('huge-body', '3 MB query document', (url) => postJson(url, { query: `{ ${'__typename '.repeat(300_000)}}` }));
  add('huge-body', '3 MB without content-length (chunked)', async (url) => {
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream({
      pull(controller) {
        if (sent >= 48) return controller.close();
        sent++;
        controller.enqueue(chunk);
      },
    });
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit);
      await res.arrayBuffer();
      return res.status;
    } catch {
      return 413; // the server may close the connection while we are still sending
    }
  });

  // Fragment cycles and fragment bombs.
  add('fragments', 'two-fragment cycle', gql('{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }'));
  add('fragments', 'self cycle', gql('{ ...A } fragment A on Query { __typename ...A }'));
  add('fragments', 'three-fragment cycle through fields', gql(
    '{ entities { nodes { ...E } } } fragment E on Entity { relationships { nodes { source { ...F } } } } fragment F on Entity { relationships { nodes { target { ...G } } } } fragment G on Entity { ...E }',
  ));
  const bomb = (n: number) =>
    `{ ...F0 } ${Array.from({ length: n }, (_, i) => `fragment F${i} on Query { ${i === n - 1 ? 'entities(first: 100) { totalCount }' : `...F${i + 1} a${i}: __typename`} }`).join(' ')}`;
  add('fragments', 'a chain of 50 fragments', gql(bomb(50)));
  const doubling = (n: number) =>
    `{ entities(first: 100) { nodes { ...D0 } } } ${Array.from({ length: n }, (_, i) =>
      i === n - 1 ? `fragment D${i} on Entity { name }` : `fragment D${i} on Entity { ...D${i + 1} relationships(first: 100) { nodes { source { ...D${i + 1} } } } }`,
    ).join(' ')}`;
  add('fragments', 'fragments that double at each level (2^12 fields)', gql(doubling(12)));
  add('fragments', 'unknown fragment', gql('{ ...Nope }'));
  add('fragments', 'fragment on a wrong type', gql('{ ...A } fragment A on Nope { x }'));

  // Control characters and lone surrogates, in variables and in the document.
  for (const text of ['\u0000', 'Mali\u0000', '\u0001\u0002\u001f', '\ud800', '\udfff', 'a\ud800b', '\u202eilaM', '\uffff\ufffe', 'Mali\r\n\t', '\u0085\u2028\u2029']) {
    add('control-chars', `variable ${JSON.stringify(text)}`, gql('query($n: String!) { entity(name: $n) { id } }', { n: text }));
    add('control-chars', `literal ${JSON.stringify(text)}`, gql(`{ entity(name: ${JSON.stringify(text)}) { id } }`));
  }
  add('control-chars', 'raw NUL in the document', gql('{ __typename \u0000 }'));
  add('control-chars', 'lone surrogate in the document', gql('{ __typename \ud800 }'));
  add('control-chars', 'lone surrogate as an operation name', (url) => postJson(url, { query: '{ __typename }', operationName: '\ud800' }));

  // Absurd pagination arguments and cursors.
  for (const first of [-1, -2147483648, 0, 101, 2147483647, 1e100, 2 ** 53]) {
    add('pagination', `first: ${first}`, gql('query($f: Int) { entities(first: $f) { nodes { id } } }', { f: first }));
  }
  add('pagination', 'first: 2147483648 (beyond Int)', gql('{ entities(first: 2147483648) { nodes { id } } }'));
  add('pagination', 'first: "10" (a string)', gql('query($f: Int) { entities(first: $f) { nodes { id } } }', { f: '10' }));
  add('pagination', 'first: 1.5', gql('{ entities(first: 1.5) { nodes { id } } }'));
  for (const after of ['', 'garbage', '!!!!', 'eyJ9', Buffer.from('{"id":1}').toString('base64'), Buffer.from('["z","actor:mali"]').toString('base64url'), 'A'.repeat(100_000), '\ud800', "' OR 1=1 --"]) {
    add('pagination', `after: ${JSON.stringify(after.slice(0, 20))}`, gql('query($a: String) { entities(after: $a) { nodes { id } } }', { a: after }));
    add('pagination', `nested after: ${JSON.stringify(after.slice(0, 20))}`, gql('query($a: String) { entity(name: "Mali") { statementsAbout(after: $a) { nodes { id } } } }', { a: after }));
  }

  // Batched arrays (batching is off by default).
  add('batch', 'empty array', (url) => postJson(url, []));
  add('batch', 'two operations', (url) => postJson(url, [{ query: '{ __typename }' }, { query: '{ __typename }' }]));
  add('batch', '1000 operations', (url) => postJson(url, Array.from({ length: 1000 }, () => ({ query: '{ entities(first: 100) { totalCount } }' }))));
  add('batch', 'nested arrays', (url) => postJson(url, [[{ query: '{ __typename }' }]]));
  add('batch', 'array of garbage', (url) => postJson(url, [1, 'a', null, {}]));

  // Random bytes, as JSON bodies and as raw TCP (not even HTTP).
  for (let i = 0; i < 20; i++) {
    const body = bytes(1 + Math.floor(random() * 4000));
    add('random-bytes', `body #${i} (${body.length} bytes)`, (url) => postRaw(url, body));
  }
  for (let i = 0; i < 6; i++) {
    const garbage = bytes(1 + Math.floor(random() * 2000));
    add('random-bytes', `raw TCP #${i}`, rawTcp(garbage));
  }
  add('random-bytes', 'raw TCP: a request line with a huge header', rawTcp(new TextEncoder().encode(`GET /graphql HTTP/1.1\r\nX: ${'a'.repeat(100_000)}\r\n\r\n`)));
  add('random-bytes', 'raw TCP: bad request line', rawTcp(new TextEncoder().encode('GARBAGE / NOTHTTP\r\n\r\n')));
  add('random-bytes', 'malformed URL', rawTcp(new TextEncoder().encode('GET http://[::1/graphql HTTP/1.1\r\nHost: x\r\n\r\n')));
  add('random-bytes', 'path traversal', async (url) => (await fetch(new URL('/../../etc/passwd', url))).status);

  return cases;
}

// ---------------------------------------------------------------------------
// The suite
// ---------------------------------------------------------------------------

describe('hostile input', () => {
  let server: TestServer;
  let schema: GraphQLSchema;
  let before: GraphDigest;
  const results: { category: string; name: string; status: number; ms: number }[] = [];

  beforeAll(async () => {
    // Introspection on, so the suite can enumerate the root fields (and attack with introspection too).
    server = await startTestServer({ env: { INTROSPECTION: 'true' } });
    const { data } = await server.gql(getIntrospectionQuery());
    schema = buildClientSchema(data);
    before = graphDigest(join(server.dir, 'kg.sqlite'));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('answers at least 200 generated cases without 5xx or hanging, and leaves the graph unchanged', async () => {
    const cases = [...staticCases(), ...injectionCases(schema)];
    expect(cases.length).toBeGreaterThanOrEqual(200);
    expect(cases.filter((c) => c.category === 'sql-injection').length).toBeGreaterThanOrEqual(SQL_INJECTIONS.length * 10);
    for (const c of cases) {
      const started = performance.now();
      const status = await c.send(server.url);
      const ms = performance.now() - started;
      results.push({ category: c.category, name: c.name, status, ms });
    }
    const failures = results.filter((r) => r.status >= 500 || r.ms >= MAX_MS);
    expect(failures, JSON.stringify(failures.slice(0, 10))).toEqual([]);

    // The server still serves, and the graph is exactly as it was (graph_version included).
    expect((await fetch(new URL('/health', server.url))).status).toBe(200);
    const { data } = await server.gql('{ entity(name: "blue helmets") { id } }');
    expect(data.entity.id).toBe('actor:minusma');
    expect(graphDigest(join(server.dir, 'kg.sqlite'))).toEqual(before);

    const byCategory = new Map<string, { n: number; statuses: Set<number>; maxMs: number }>();
    for (const r of results) {
      const entry = byCategory.get(r.category) ?? { n: 0, statuses: new Set(), maxMs: 0 };
      entry.n++;
      entry.statuses.add(r.status);
      entry.maxMs = Math.max(entry.maxMs, r.ms);
      byCategory.set(r.category, entry);
    }
    console.log(
      `${results.length} hostile cases\n` +
        [...byCategory].map(([k, v]) => `${k.padEnd(16)} ${String(v.n).padStart(4)} cases, statuses ${[...v.statuses].sort().join('/')}, slowest ${v.maxMs.toFixed(0)} ms`).join('\n'),
    );
  }, 180_000);

  it('refuses what must be refused', () => {
    const status = (category: string, name: string) => results.find((r) => r.category === category && r.name === name)?.status;
    expect(status('huge-body', '12 MB JSON string')).toBe(413);
    expect(status('content-type', 'text/plain')).toBe(400); // CSRF guard
    expect(status('content-type', 'GET without a preflight header (CSRF guard)')).toBe(400);
    expect(status('nesting', 'depth via 20 relationship levels')).toBe(400);
    expect(status('alias-flood', '16 aliases')).toBe(400);
    expect(status('batch', 'two operations')).toBe(400);
    expect(status('fragments', 'two-fragment cycle')).toBe(400);
    expect(status('fragments', 'fragments that double at each level (2^12 fields)')).toBe(400);
  });
});
