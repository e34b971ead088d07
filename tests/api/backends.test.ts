/**
 * The API over both backends: a server on a SQLite file and a server on a
 * fresh PostgreSQL database, both built from the seeds, must give the same
 * answers (bodies, statuses, cursors), the same errors, and run the same
 * number of SQL statements for the same query, across a broad set of
 * queries: every entity's page, every root list with every filter value the
 * schema allows, page-by-page walks, lookups and bad input. Anchors worked out
 * from the article (the text's length, the exact words at each evidence span)
 * are checked on each backend on its own.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { buildSchema, type GraphQLEnumType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { backend, BACKENDS, backendTitle, type BackendName } from '../helpers/backends.js';
import { type GqlResult, SEEDS_DIR, startTestServer, type TestServer } from '../helpers/test-server.js';

/** These tests read whole lists in one deep request: lift the query limits (tested in tests/server/limits.test.ts). */
const NO_LIMITS = { MAX_DEPTH: '50', MAX_COST: '100000000', MAX_TOKENS: '1000000', MAX_ALIASES: '1000' };

const schema = buildSchema(readFileSync(join(import.meta.dirname, '..', '..', 'schema.graphql'), 'utf8'));
const enumValues = (name: string): string[] => (schema.getType(name) as GraphQLEnumType).getValues().map((v) => v.name);

/** The article, as the seeds hold it; its code points index the evidence. */
const ARTICLE = [...readFileSync(join(SEEDS_DIR, '000_ff0b82d8339bd64f.txt'), 'utf8')];

const EVIDENCE = 'fragment Ev on Evidence { document { id } start end exact prefix suffix }';
const STATEMENT = `fragment Stmt on Statement {
  id kind text direct attribution speaker { id name } occasion { id }
  about { __typename ... on Entity { id } ... on Event { id } } document { id } evidence { ...Ev }
}`;
const EVENT = `fragment Evt on Event {
  id name kind description place { id name }
  date { text year month day precision inferred inferredFrom earliest latest }
  participants { entity { id } role evidence { ...Ev } } evidence { ...Ev }
}`;
const RELATIONSHIP = `fragment Rel on Relationship {
  id type source { id } target { id } description inferred inferredFrom evidence { ...Ev }
}`;
const ENTITY = `fragment Ent on Entity {
  __typename id name aliases aliasDetails { name source } description mentionCount evidence { ...Ev }
  ... on Actor { kind } ... on Person { title } ... on Place { placeKind: kind }
}`;
const PAGE = 'pageInfo { hasNextPage hasPreviousPage startCursor endCursor }';

/** One entity's page with every nested connection. */
const ENTITY_PAGE = `query EntityPage($id: ID!) {
  node(id: $id) {
    ...Ent
    ... on Entity {
      mentions(first: 100) { totalCount ${PAGE} edges { cursor node { id entity { id } evidence { ...Ev } } } }
      relationships(first: 100) { totalCount ${PAGE} edges { cursor node { ...Rel } } }
      outgoing: relationships(direction: OUTGOING, first: 100) { totalCount nodes { id } }
      incoming: relationships(direction: INCOMING, first: 100) { totalCount nodes { id } }
      statementsBy(first: 100) { totalCount ${PAGE} edges { cursor node { ...Stmt } } }
      statementsAbout(first: 100) { totalCount ${PAGE} edges { cursor node { ...Stmt } } }
      events(first: 100) { totalCount ${PAGE} edges { cursor node { ...Evt } } }
    }
  }
}
${ENTITY} ${EVIDENCE} ${STATEMENT} ${EVENT} ${RELATIONSHIP}`;

/** Every entity at once, each nested list cut at two: batched by owner, paged per owner. */
const ALL_ENTITIES_NESTED = `{
  entities(first: 100) {
    totalCount ${PAGE}
    edges {
      cursor
      node {
        ...Ent
        mentions(first: 2) { totalCount ${PAGE} nodes { id } }
        relationships(first: 2) { totalCount ${PAGE} nodes { id } }
        statementsBy(first: 2) { totalCount ${PAGE} nodes { id } }
        statementsAbout(first: 2) { totalCount ${PAGE} nodes { id } }
        events(first: 2) { totalCount ${PAGE} nodes { id statements(first: 1) { totalCount nodes { id } } } }
      }
    }
  }
}
${ENTITY} ${EVIDENCE}`;

const ROOT_LISTS = `{
  events(first: 100) { totalCount ${PAGE} edges { cursor node { ...Evt statements(first: 100) { totalCount nodes { id } } } } }
  statements(first: 100) { totalCount ${PAGE} edges { cursor node { ...Stmt } } }
  relationships(first: 100) { totalCount ${PAGE} edges { cursor node { ...Rel } } }
  documents(first: 100) {
    totalCount ${PAGE}
    edges { cursor node { id title text length url publishedOn publisher { id } mentions(first: 100) { totalCount edges { cursor node { id } } } } }
  }
}
${EVIDENCE} ${STATEMENT} ${EVENT} ${RELATIONSHIP}`;

/** Root lists and the filters to try on each, with the value lists they range over. */
function filterCases(ids: { entities: string[]; events: string[]; documents: string[] }): [string, string, Record<string, unknown>][] {
  const cases: [string, string, Record<string, unknown>][] = [];
  const list = (field: string, selection: string) => `query($v: ${field}) { LIST }`.replace('LIST', selection);
  const add = (name: string, root: string, arg: string, type: string, values: unknown[]) => {
    for (const v of values) {
      cases.push([`${name} ${JSON.stringify(v)}`, list(type, `${root}(${arg}: $v, first: 100) { totalCount ${PAGE} edges { cursor node { id } } }`), { v }]);
    }
  };
  add('entities by type', 'entities', 'type', 'EntityType', enumValues('EntityType'));
  add('entities by kind', 'entities', 'kind', 'ActorKind', enumValues('ActorKind'));
  add('entities by place kind', 'entities', 'placeKind', 'PlaceKind', enumValues('PlaceKind'));
  add('events by participant', 'events', 'participant', 'ID', [...ids.entities, 'actor:nobody']);
  add('events by kind', 'events', 'kind', 'EventKind', enumValues('EventKind'));
  add('events from', 'events', 'from', 'LocalDate', ['2012-01-01', '2013-01-01', '2022-01-01', '2023-06-30', '2030-01-01']);
  add('events to', 'events', 'to', 'LocalDate', ['2012-12-31', '2013-01-01', '2022-12-31', '2023-06-30']);
  add('statements by speaker', 'statements', 'speaker', 'ID', ids.entities);
  add('statements about', 'statements', 'about', 'ID', [...ids.entities, ...ids.events]);
  add('statements by kind', 'statements', 'kind', 'StatementKind', enumValues('StatementKind'));
  add('statements by attribution', 'statements', 'attribution', 'Attribution', enumValues('Attribution'));
  add('statements of a document', 'statements', 'document', 'ID', [...ids.documents, 'document:none']);
  add('relationships of an entity', 'relationships', 'entity', 'ID', ids.entities);
  add('relationships by type', 'relationships', 'type', 'RelationshipType', enumValues('RelationshipType'));
  for (const [from, to] of [
    ['2013-01-01', '2013-12-31'],
    ['2022-03-01', '2022-03-31'],
    ['2023-01-01', '2023-12-31'],
    ['2013-06-01', '2022-06-01'],
  ]) {
    cases.push([
      `events from ${from} to ${to}`,
      `query($from: LocalDate, $to: LocalDate) { events(from: $from, to: $to, first: 100) { totalCount edges { cursor node { id } } } }`,
      { from, to },
    ]);
  }
  for (const kind of ['ACCUSATION', 'ASSERTION', 'REQUEST']) {
    for (const speaker of ids.entities.slice(0, 8)) {
      cases.push([
        `statements by ${speaker} of kind ${kind}`,
        `query($s: ID, $k: StatementKind) { statements(speaker: $s, kind: $k, first: 100) { totalCount edges { cursor node { id } } } }`,
        { s: speaker, k: kind },
      ]);
    }
  }
  return cases;
}

/** Requests that must fail, the same way on every backend. */
const BAD_REQUESTS: [string, string, Record<string, unknown>?][] = [
  ['a negative page size', '{ entities(first: -1) { totalCount } }'],
  ['a page size over the maximum', '{ statements(first: 101) { totalCount } }'],
  ['a malformed cursor', '{ events(after: "not a cursor!") { totalCount } }'],
  ['a cursor that is base64 but not ours', '{ relationships(after: "eyJ4IjoxfQ") { totalCount } }'],
  ['a nested negative page size', '{ entity(name: "Mali") { id mentions(first: -5) { totalCount } } }'],
  ['an unknown enum value', '{ entities(kind: NOT_A_KIND) { totalCount } }'],
  ['an impossible date', '{ events(from: "2022-13-45") { totalCount } }'],
  ['an unknown field', '{ nope }'],
  ['a syntax error', '{ entities( }'],
  ['a variable of the wrong type', 'query($f: Int) { entities(first: $f) { totalCount } }', { f: 'ten' }],
  ['a missing required argument', '{ node { id } }'],
];

/** Each evidence object anywhere in `value`. */
function* evidenceIn(value: unknown): Generator<{ document: { id: string }; start: number; end: number; exact: string }> {
  if (Array.isArray(value)) for (const v of value) yield* evidenceIn(v);
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.exact === 'string' && typeof o.start === 'number') yield o as never;
    for (const v of Object.values(o)) yield* evidenceIn(v);
  }
}

describe.skipIf(!backend('sqlite').available || !backend('postgres').available)(
  backendTitle(backend('postgres'), 'the API answers the same on SQLite and PostgreSQL'),
  () => {
    const servers = {} as Record<BackendName, TestServer>;
    let ids: { entities: string[]; events: string[]; statements: string[]; relationships: string[]; mentions: string[]; documents: string[] };

    beforeAll(async () => {
      const [sqlite, postgres] = await Promise.all([startTestServer({ backend: 'sqlite', env: NO_LIMITS }), startTestServer({ backend: 'postgres', env: NO_LIMITS })]);
      servers.sqlite = sqlite;
      servers.postgres = postgres;
      expect(postgres.store.backend).toBe('postgres');
      const { data } = await sqlite.gql(`{
        entities(first: 100) { nodes { id mentions(first: 100) { nodes { id } } } }
        events(first: 100) { nodes { id } } statements(first: 100) { nodes { id } }
        relationships(first: 100) { nodes { id } } documents(first: 100) { nodes { id } }
      }`);
      const nodeIds = (c: { nodes: { id: string }[] }) => c.nodes.map((n) => n.id);
      ids = {
        entities: nodeIds(data.entities),
        events: nodeIds(data.events),
        statements: nodeIds(data.statements),
        relationships: nodeIds(data.relationships),
        documents: nodeIds(data.documents),
        mentions: data.entities.nodes.flatMap((e: { mentions: { nodes: { id: string }[] } }) => nodeIds(e.mentions)),
      };
    });
    afterAll(async () => {
      await Promise.all(Object.values(servers).map((s) => s.stop()));
    });

    /** Send the same request to both servers; expect the same status and body, and return them. */
    async function same(query: string, variables?: Record<string, unknown>): Promise<GqlResult<any>> {
      const [a, b] = await Promise.all([servers.sqlite.gql(query, variables), servers.postgres.gql(query, variables)]);
      expect({ status: b.status, body: b.body }).toEqual({ status: a.status, body: a.body });
      return a;
    }

    it('built the same graph from the seeds on both', async () => {
      expect(servers.postgres.build).toEqual(servers.sqlite.build);
      expect(ids.entities.length).toBeGreaterThan(20);
      expect(ids.statements.length).toBeGreaterThan(10);
    });

    /** Statements each backend's store ran during `work`. */
    async function statementsDuring(work: () => Promise<unknown>): Promise<Record<BackendName, number>> {
      const before = { sqlite: servers.sqlite.store.statementCount, postgres: servers.postgres.store.statementCount };
      await work();
      return {
        sqlite: servers.sqlite.store.statementCount - before.sqlite,
        postgres: servers.postgres.store.statementCount - before.postgres,
      };
    }

    it('answers every entity page the same, with every nested list, at the same cost in SQL statements', async () => {
      for (const id of ids.entities) {
        const used = await statementsDuring(async () => {
          const { data, errors } = await same(ENTITY_PAGE, { id });
          expect(errors).toBeUndefined();
          expect(data.node.id).toBe(id);
        });
        expect(used.postgres, id).toBe(used.sqlite);
      }
    });

    it('answers every entity with its nested lists batched and paged per owner the same, with the same number of SQL statements', async () => {
      const used = await statementsDuring(async () => {
        const { data, errors } = await same(ALL_ENTITIES_NESTED);
        expect(errors).toBeUndefined();
        expect(data.entities.totalCount).toBe(ids.entities.length);
      });
      expect(used.postgres).toBe(used.sqlite);
    });

    it('answers the root lists the same, nested lists included', async () => {
      const { data, errors } = await same(ROOT_LISTS);
      expect(errors).toBeUndefined();
      expect(data.statements.totalCount).toBe(ids.statements.length);
    });

    it('answers every node by id the same, and null for unknown ids', async () => {
      const kinds: [string[], string, string][] = [
        [ids.events, '...Evt', `${EVENT} ${EVIDENCE}`],
        [ids.statements, '...Stmt', `${STATEMENT} ${EVIDENCE}`],
        [ids.relationships, '...Rel', `${RELATIONSHIP} ${EVIDENCE}`],
        [ids.documents, '... on Document { title length publisher { id } }', ''],
        [ids.mentions, '... on Mention { entity { id } evidence { ...Ev } }', EVIDENCE],
      ];
      for (const [list, selection, fragments] of kinds) {
        const query = `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ${selection} } } ${fragments}`;
        for (let i = 0; i < list.length; i += 50) {
          const { data, errors } = await same(query, { ids: list.slice(i, i + 50) });
          expect(errors).toBeUndefined();
          expect(data.nodes.map((n: { id: string }) => n.id)).toEqual(list.slice(i, i + 50));
        }
      }
      const { data } = await same('{ a: node(id: "actor:nobody") { id } b: node(id: "no-prefix") { id } c: nodes(ids: ["event:none", "x"]) { id } }');
      expect(data).toEqual({ a: null, b: null, c: [null, null] });
    });

    it('finds the same entities by name, alias and loose spelling, and none for unknown names', async () => {
      const names = ['Mali', 'mali', 'blue helmets', 'BLUE HELMETS', 'UN', 'United Nations', 'al qaeda', 'Al-Qaeda', 'Wagner', 'Russia',
        'MINUSMA', 'Wane', 'Nebenzia', 'the junta', 'Moura', 'Sahel', 'ISIS', 'nobody at all', '', '   ', '!!!', 'Mâli'];
      for (const name of names) await same('query($n: String!) { entity(name: $n) { id name } }', { n: name });
    });

    it('answers every filter value of every root list the same', async () => {
      const cases = filterCases(ids);
      expect(cases.length).toBeGreaterThan(150);
      for (const [, query, variables] of cases) {
        const { errors } = await same(query, variables);
        expect(errors).toBeUndefined();
      }
    });

    it('walks every root list page by page to the same rows and cursors as one big page', async () => {
      for (const root of ['entities', 'events', 'statements', 'relationships', 'documents']) {
        const big = await same(`{ ${root}(first: 100) { edges { cursor node { id } } } }`);
        const walked: { cursor: string; node: { id: string } }[] = [];
        let after: string | null = null;
        for (let i = 0; i < 50; i++) {
          const page: GqlResult<any> = await same(`query($a: String) { ${root}(first: 3, after: $a) { edges { cursor node { id } } ${PAGE} } }`, {
            a: after,
          });
          walked.push(...page.data[root].edges);
          if (!page.data[root].pageInfo.hasNextPage) break;
          after = page.data[root].pageInfo.endCursor;
        }
        expect(walked).toEqual(big.data[root].edges);
      }
    });

    it('walks nested lists page by page the same', async () => {
      for (const id of ['actor:mali', 'actor:minusma', 'actor:un']) {
        let after: string | null = null;
        for (let i = 0; i < 50; i++) {
          const page: GqlResult<any> = await same(
            `query($id: ID!, $a: String) { node(id: $id) { ... on Entity { mentions(first: 2, after: $a) { edges { cursor node { id } } ${PAGE} } } } }`,
            { id, a: after },
          );
          if (!page.data.node.mentions.pageInfo.hasNextPage) break;
          after = page.data.node.mentions.pageInfo.endCursor;
        }
      }
    });

    it.each(BAD_REQUESTS)('fails the same way for %s', async (_name, query, variables) => {
      const result = await same(query, variables);
      expect(result.status).toBeLessThan(500);
      expect(result.errors?.length).toBeGreaterThan(0);
      for (const error of result.errors!) expect(error.extensions?.code).toEqual(expect.any(String));
      expect(JSON.stringify(result.body)).not.toMatch(/node_modules|\bat .*\.ts:\d+/);
    });

    /** A response with every search connection's hits sorted by subject id, without ranks and cursors. */
    function withHitsById(body: unknown): unknown {
      return JSON.parse(JSON.stringify(body), (key, value) => {
        if (value && typeof value === 'object' && Array.isArray(value.edges) && value.edges[0]?.node?.snippet !== undefined) {
          const nodes = value.edges.map((e: any) => ({ ...e.node, score: undefined }));
          return { ...value, edges: nodes.sort((x: any, y: any) => (x.subject.id < y.subject.id ? -1 : 1)), pageInfo: undefined };
        }
        return value;
      });
    }

    it('runs every example operation the same', async () => {
      const examples = join(import.meta.dirname, '..', '..', 'examples');
      const { readdirSync } = await import('node:fs');
      for (const file of readdirSync(examples).filter((f) => f.endsWith('.graphql'))) {
        const source = readFileSync(join(examples, file), 'utf8');
        const variables = { name: 'MINUSMA', id: 'actor:minusma' };
        if (/\bsearch\s*\(/.test(source)) {
          // Relevance is each database's own (bm25, ts_rank_cd): the same hits, snippets and evidence, not the same order.
          const [a, b] = await Promise.all([servers.sqlite.gql(source, variables), servers.postgres.gql(source, variables)]);
          expect(a.errors, file).toBeUndefined();
          expect(withHitsById(b.body)).toEqual(withHitsById(a.body));
          continue;
        }
        const { errors } = await same(source, variables);
        expect(errors, file).toBeUndefined();
      }
    });
  },
);

for (const b of BACKENDS) {
  describe.skipIf(!b.available)(backendTitle(b, 'the API on one backend, against the article'), () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({ backend: b.name, env: NO_LIMITS });
    });
    afterAll(async () => {
      await server?.stop();
    });

    it('serves from the backend it was given, and says which graph version answered', async () => {
      expect(server.store.backend).toBe(b.name);
      const res = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ documents { totalCount } }' }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-graph-version')).toBe('1');
    });

    it('finds MINUSMA by "blue helmets", the name the article gives it', async () => {
      const { data } = await server.gql('{ entity(name: "blue helmets") { id name } }');
      expect(data.entity).toEqual({ id: 'actor:minusma', name: 'MINUSMA' });
    });

    it('holds the article whole: its length in code points and its text', async () => {
      const { data } = await server.gql('{ documents { nodes { length text } } }');
      expect(data.documents.nodes).toEqual([{ length: ARTICLE.length, text: ARTICLE.join('') }]);
    });

    it('has the two direct quotes the article prints', async () => {
      const { data } = await server.gql('{ statements(attribution: DIRECT_QUOTE) { totalCount } }');
      expect(data.statements.totalCount).toBe(2);
    });

    it('anchors every piece of evidence to the exact words of the article', async () => {
      const { data, errors } = await server.gql(ROOT_LISTS);
      expect(errors).toBeUndefined();
      const spans = [...evidenceIn(data)];
      expect(spans.length).toBeGreaterThan(50);
      for (const e of spans) expect(e.exact).toBe(ARTICLE.slice(e.start, e.end).join(''));
    });
  });
}
