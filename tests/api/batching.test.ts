/**
 * The batching proof: per-request DataLoaders make a list of N items cost a
 * constant number of SQL statements per nesting level, whatever N is. The
 * store counts the statements it runs (`statementCount`); each test diffs it
 * around one HTTP request.
 *
 * A level whose lists are all empty costs nothing, so each query is shaped
 * (and each test checks) that already the first two items reach every level:
 * then N = 2 and N = 20 run the same statements, only with more keys.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

/** Run one request; return its data and the number of SQL statements it cost. */
async function measure(query: string, variables: Record<string, unknown>): Promise<{ data: any; statements: number }> {
  const before = server.store.statementCount;
  const data = await server.data(query, variables);
  return { data, statements: server.store.statementCount - before };
}

/** Run `query` for each N; check the premise on the smallest; return the costs. */
async function costs(query: string, sizes: number[], list: (data: any) => any[], premise: (items: any[]) => void): Promise<number[]> {
  const out: number[] = [];
  for (const n of sizes) {
    const { data, statements } = await measure(query, { n });
    expect(list(data)).toHaveLength(n);
    if (n === sizes[0]) premise(list(data));
    out.push(statements);
  }
  return out;
}

const some = (items: any[], pick: (item: any) => any[] | null | undefined, what: string) =>
  expect(items.flatMap((i) => pick(i) ?? []).length, `premise: the first items have ${what}`).toBeGreaterThan(0);

const ENTITY_PAGE = `query ($n: Int!) {
  entities(first: $n) {
    totalCount
    nodes {
      id name aliases aliasDetails { name source } mentionCount
      evidence { exact document { title } }
      relationships(first: 5) {
        totalCount
        nodes { type source { name aliases } target { name aliases } evidence { exact document { id } } }
      }
      statementsAbout(first: 5) {
        totalCount
        nodes { kind text speaker { name aliases } about { ... on Node { id } } evidence { exact } }
      }
      statementsBy(first: 5) { totalCount nodes { id } }
      events(first: 5) { totalCount nodes { id } }
      mentions(first: 3) { totalCount nodes { id evidence { start } } }
    }
  }
}`;

const MINUSMA_TIMELINE = `query ($n: Int!) {
  events(participant: "actor:minusma", first: $n) {
    nodes {
      name date { text earliest } place { name aliases }
      participants { role entity { name aliases ... on Actor { kind } } evidence { exact } }
      statements(first: 5) { totalCount nodes { text speaker { name } evidence { exact } } }
      evidence { exact document { title } }
    }
  }
}`;

const STATEMENTS = `query ($n: Int!) {
  statements(first: $n) {
    nodes {
      text speaker { name aliases relationships(first: 3) { nodes { type target { name } } } }
      about { __typename ... on Node { id } ... on Event { name participants { entity { name } } } }
      document { title } evidence { exact }
    }
  }
}`;

const RELATIONSHIPS = `query ($n: Int!) {
  relationships(first: $n) {
    nodes {
      type evidence { exact }
      source { name aliases statementsBy(first: 2) { nodes { text } } }
      target { name aliases }
    }
  }
}`;

describe('a list of N items costs the same number of SQL statements for N = 2 and N = 20', () => {
  it('entities with aliases, evidence, relationships, statements about them, and counts of the rest', async () => {
    const cost = await costs(ENTITY_PAGE, [2, 5, 20], (d) => d.entities.nodes, (items) => {
      some(items, (e) => e.relationships.nodes, 'relationships');
      some(items, (e) => e.statementsAbout.nodes, 'statements about them');
      some(items, (e) => e.statementsAbout.nodes.flatMap((s: any) => s.about.filter((a: any) => a.id.startsWith('event:'))), 'statements about events');
    });
    expect(cost, 'statements for N = 2, 5, 20').toEqual([cost[0], cost[0], cost[0]]);
  });

  it('events with places, participants, statements and evidence', async () => {
    // MINUSMA takes part in 9 events.
    const cost = await costs(MINUSMA_TIMELINE, [2, 5, 9], (d) => d.events.nodes, (items) => {
      some(items, (e) => (e.place ? [e.place] : []), 'a place');
      some(items, (e) => e.statements.nodes, 'statements');
      some(items, (e) => e.participants.flatMap((p: any) => p.evidence), 'participant evidence');
    });
    expect(cost, 'statements for N = 2, 5, 9').toEqual([cost[0], cost[0], cost[0]]);
  });

  it('statements with speakers, their relationships, subjects and the subjects’ participants', async () => {
    const cost = await costs(STATEMENTS, [2, 5, 20], (d) => d.statements.nodes, (items) => {
      some(items, (s) => s.speaker.relationships.nodes, 'speakers with relationships');
      some(items, (s) => s.about.filter((a: any) => a.__typename === 'Event'), 'events as subjects');
    });
    expect(cost, 'statements for N = 2, 5, 20').toEqual([cost[0], cost[0], cost[0]]);
  });

  it('relationships with both ends and the sources’ statements', async () => {
    const cost = await costs(RELATIONSHIPS, [2, 5, 20], (d) => d.relationships.nodes, (items) => {
      some(items, (r) => r.source.statementsBy.nodes, 'sources that made statements');
    });
    expect(cost, 'statements for N = 2, 5, 20').toEqual([cost[0], cost[0], cost[0]]);
  });

  it('the counter counts: each nesting level adds statements', async () => {
    const flat = await measure('query ($n: Int!) { entities(first: $n) { nodes { id } } }', { n: 20 });
    const oneLevel = await measure('query ($n: Int!) { entities(first: $n) { nodes { id evidence { exact } } } }', { n: 20 });
    const deep = await measure(ENTITY_PAGE, { n: 20 });
    expect(flat.statements).toBe(1);
    expect(oneLevel.statements).toBe(2);
    expect(deep.statements).toBeGreaterThan(oneLevel.statements);
  });

  it('loaders are per request: the same query twice costs the same twice', async () => {
    const first = await measure(ENTITY_PAGE, { n: 20 });
    const second = await measure(ENTITY_PAGE, { n: 20 });
    expect(second.statements).toBe(first.statements);
    expect(second.data).toEqual(first.data);
  });
});
