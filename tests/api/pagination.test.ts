/**
 * Relay cursor pagination: walking any list page by page gives the same items
 * as one big page, and bad paging arguments are clear client errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ARTICLE_ID } from '../helpers/article.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const CONNECTION = 'totalCount edges { cursor node { id } } nodes { id } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }';

/** A list to walk: an operation taking `$first` and `$after`, and where its connection sits in `data`. */
interface ListCase {
  name: string;
  query: string;
  connection: (data: any) => any;
}

const LISTS: ListCase[] = [
  { name: 'entities', query: `query ($first: Int, $after: String) { c: entities(first: $first, after: $after) { ${CONNECTION} } }`, connection: (d) => d.c },
  { name: 'entities(type: ACTOR)', query: `query ($first: Int, $after: String) { c: entities(type: ACTOR, first: $first, after: $after) { ${CONNECTION} } }`, connection: (d) => d.c },
  { name: 'events', query: `query ($first: Int, $after: String) { c: events(first: $first, after: $after) { ${CONNECTION} } }`, connection: (d) => d.c },
  { name: 'events(from:)', query: `query ($first: Int, $after: String) { c: events(from: "2015-01-01", first: $first, after: $after) { ${CONNECTION} } }`, connection: (d) => d.c },
  { name: 'statements', query: `query ($first: Int, $after: String) { c: statements(first: $first, after: $after) { ${CONNECTION} } }`, connection: (d) => d.c },
  { name: 'statements(attribution: EDITORIAL)', query: `query ($first: Int, $after: String) { c: statements(attribution: EDITORIAL, first: $first, after: $after) { ${CONNECTION} } }`, connection: (d) => d.c },
  { name: 'relationships', query: `query ($first: Int, $after: String) { c: relationships(first: $first, after: $after) { ${CONNECTION} } }`, connection: (d) => d.c },
  { name: 'relationships(entity:)', query: `query ($first: Int, $after: String) { c: relationships(entity: "actor:russia", first: $first, after: $after) { ${CONNECTION} } }`, connection: (d) => d.c },
  { name: 'documents', query: `query ($first: Int, $after: String) { c: documents(first: $first, after: $after) { ${CONNECTION} } }`, connection: (d) => d.c },
  { name: 'Document.mentions', query: `query ($first: Int, $after: String) { node(id: "${ARTICLE_ID}") { ... on Document { c: mentions(first: $first, after: $after) { ${CONNECTION} } } } }`, connection: (d) => d.node.c },
  { name: 'Entity.mentions', query: `query ($first: Int, $after: String) { entity(name: "Mali") { c: mentions(first: $first, after: $after) { ${CONNECTION} } } }`, connection: (d) => d.entity.c },
  { name: 'Entity.relationships', query: `query ($first: Int, $after: String) { entity(name: "MINUSMA") { c: relationships(first: $first, after: $after) { ${CONNECTION} } } }`, connection: (d) => d.entity.c },
  { name: 'Entity.statementsAbout', query: `query ($first: Int, $after: String) { entity(name: "MINUSMA") { c: statementsAbout(first: $first, after: $after) { ${CONNECTION} } } }`, connection: (d) => d.entity.c },
  { name: 'Entity.statementsBy', query: `query ($first: Int, $after: String) { entity(name: "OWP") { c: statementsBy(first: $first, after: $after) { ${CONNECTION} } } }`, connection: (d) => d.entity.c },
  { name: 'Entity.events', query: `query ($first: Int, $after: String) { entity(name: "MINUSMA") { c: events(first: $first, after: $after) { ${CONNECTION} } } }`, connection: (d) => d.entity.c },
  { name: 'Event.statements', query: `query ($first: Int, $after: String) { node(id: "event:meeting-with-un-officials") { ... on Event { c: statements(first: $first, after: $after) { ${CONNECTION} } } } }`, connection: (d) => d.node.c },
];

/** Walk a list with pages of `first`; check each page's shape; return the ids and the page count. */
async function walk(list: ListCase, first: number): Promise<{ ids: string[]; pages: number; totalCount: number }> {
  const ids: string[] = [];
  let after: string | null = null;
  let pages = 0;
  let totalCount = -1;
  for (;;) {
    const c = list.connection(await server.data(list.query, { first, after }));
    pages++;
    expect(c.nodes.length).toBeLessThanOrEqual(first);
    expect(c.edges.map((e: any) => e.node.id)).toEqual(c.nodes.map((n: any) => n.id));
    expect(c.pageInfo.hasPreviousPage).toBe(after !== null);
    expect(c.pageInfo.startCursor).toBe(c.edges[0]?.cursor ?? null);
    expect(c.pageInfo.endCursor).toBe(c.edges.at(-1)?.cursor ?? null);
    if (totalCount === -1) totalCount = c.totalCount;
    expect(c.totalCount).toBe(totalCount);
    ids.push(...c.nodes.map((n: any) => n.id));
    if (!c.pageInfo.hasNextPage) break;
    expect(c.nodes.length).toBe(first);
    after = c.pageInfo.endCursor;
    if (pages > 200) throw new Error('runaway pagination');
  }
  return { ids, pages, totalCount };
}

describe('walking every list page by page', () => {
  it.each(LISTS.map((l) => [l.name, l] as const))('%s: pages of 2 and 3 concatenate to the first=100 list', async (_, list) => {
    const whole = await walk(list, 100);
    expect(whole.ids.length).toBeGreaterThan(0);
    expect(whole.totalCount).toBe(whole.ids.length);
    if (whole.ids.length <= 100) expect(whole.pages).toBe(1);
    for (const first of [2, 3]) {
      const paged = await walk(list, first);
      expect(paged.ids).toEqual(whole.ids);
      expect(new Set(paged.ids).size).toBe(paged.ids.length);
      expect(paged.totalCount).toBe(paged.ids.length);
      expect(paged.pages).toBe(Math.max(1, Math.ceil(paged.ids.length / first)));
    }
  });

  it('a list longer than 100 (the article’s 65 mentions walked by 10s) ends with hasNextPage false', async () => {
    const list = LISTS.find((l) => l.name === 'Document.mentions')!;
    const byTen = await walk(list, 10);
    expect(byTen.totalCount).toBeGreaterThan(50);
    expect(byTen.pages).toBe(Math.ceil(byTen.totalCount / 10));
  });

  it('without `first`, a page holds 20 items', async () => {
    const { entities } = await server.data('{ entities { totalCount nodes { id } pageInfo { hasNextPage } } }');
    expect(entities.totalCount).toBeGreaterThan(20);
    expect(entities.nodes).toHaveLength(20);
    expect(entities.pageInfo.hasNextPage).toBe(true);
  });

  it('first: 0 gives an empty page that still counts the list', async () => {
    const { entities } = await server.data(`{ entities(first: 0) { ${CONNECTION} } }`);
    expect(entities.nodes).toEqual([]);
    expect(entities.edges).toEqual([]);
    expect(entities.totalCount).toBeGreaterThan(20);
    expect(entities.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: null, endCursor: null });
  });

  it('after the last cursor comes an empty last page', async () => {
    const all = await server.data(`{ documents(first: 100) { ${CONNECTION} } }`);
    const last = all.documents.pageInfo.endCursor;
    const { documents } = await server.data(`query ($after: String) { documents(after: $after) { ${CONNECTION} } }`, { after: last });
    expect(documents.nodes).toEqual([]);
    expect(documents.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null });
    expect(documents.totalCount).toBe(1);
  });
});

describe('bad paging arguments are client errors, never 500', () => {
  const expectCode = async (query: string, variables: Record<string, unknown> | undefined, code: string, status?: number) => {
    const result = await server.gql(query, variables);
    expect(result.status).toBeLessThan(500);
    if (status !== undefined) expect(result.status).toBe(status);
    expect(result.errors?.length, JSON.stringify(result.body)).toBeGreaterThan(0);
    expect(result.errors![0]!.extensions?.code).toBe(code);
    expect(JSON.stringify(result.body)).not.toMatch(/stacktrace|    at /);
    return result;
  };

  it.each([101, -1, 1000, -100])('first: %d on a root list is BAD_USER_INPUT', async (first) => {
    const { errors } = await expectCode('query ($first: Int) { entities(first: $first) { totalCount } }', { first }, 'BAD_USER_INPUT');
    expect(errors![0]!.message).toMatch(/first/);
    expect(errors![0]!.path).toEqual(['entities']);
  });

  it.each([101, -1])('first: %d on a nested list is BAD_USER_INPUT', async (first) => {
    const { errors } = await expectCode('query ($first: Int) { entity(name: "MINUSMA") { mentions(first: $first) { totalCount } } }', { first }, 'BAD_USER_INPUT');
    expect(errors![0]!.path).toEqual(['entity', 'mentions']);
  });

  it.each([
    ['not base64url', '!!!'],
    ['base64url but not JSON', 'zzz'],
    ['empty', ''],
    ['JSON of the wrong shape', Buffer.from('{"a":1}').toString('base64url')],
    ['JSON array of numbers', Buffer.from('[1,2]').toString('base64url')],
    ['a one-element array', Buffer.from('["x"]').toString('base64url')],
    ['very long', 'A'.repeat(5000)],
  ])('a malformed cursor (%s) is BAD_USER_INPUT', async (_, after) => {
    for (const query of [
      'query ($after: String) { statements(after: $after) { totalCount } }',
      'query ($after: String) { entity(name: "Mali") { mentions(after: $after) { totalCount } } }',
    ]) {
      const { errors } = await expectCode(query, { after }, 'BAD_USER_INPUT');
      expect(errors![0]!.message).toMatch(/cursor/i);
    }
  });

  it('an unknown enum value in the query is GRAPHQL_VALIDATION_FAILED with status 400', async () => {
    await expectCode('{ entities(kind: WIZARDS) { totalCount } }', undefined, 'GRAPHQL_VALIDATION_FAILED', 400);
    await expectCode('{ statements(kind: GOSSIP) { totalCount } }', undefined, 'GRAPHQL_VALIDATION_FAILED', 400);
    await expectCode('{ relationships(type: LOVES) { totalCount } }', undefined, 'GRAPHQL_VALIDATION_FAILED', 400);
  });

  it('an unknown enum value in a variable is BAD_USER_INPUT with status 400', async () => {
    await expectCode('query ($k: ActorKind) { entities(kind: $k) { totalCount } }', { k: 'WIZARDS' }, 'BAD_USER_INPUT', 400);
  });

  it('a `first` that is not an integer is refused with status 400', async () => {
    await expectCode('{ entities(first: 2.5) { totalCount } }', undefined, 'GRAPHQL_VALIDATION_FAILED', 400);
    await expectCode('{ entities(first: "two") { totalCount } }', undefined, 'GRAPHQL_VALIDATION_FAILED', 400);
    await expectCode('query ($f: Int) { entities(first: $f) { totalCount } }', { f: 'two' }, 'BAD_USER_INPUT', 400);
  });

  it('a query that does not parse is GRAPHQL_PARSE_FAILED with status 400', async () => {
    await expectCode('{ entities(first: ) { totalCount }', undefined, 'GRAPHQL_PARSE_FAILED', 400);
  });

  it('an unknown field is GRAPHQL_VALIDATION_FAILED with status 400', async () => {
    await expectCode('{ entities { colour } }', undefined, 'GRAPHQL_VALIDATION_FAILED', 400);
  });
});
