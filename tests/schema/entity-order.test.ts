import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestServer, type TestServer } from '../helpers/test-server.js';

/** Every page of `entities` with these arguments, following endCursor. */
async function allPages(server: TestServer, args: string, pageSize: number): Promise<any[]> {
  const out: any[] = [];
  let after: string | null = null;
  for (let i = 0; i < 100; i++) {
    const { data, errors }: any = await server.gql(
      `query($a: String) { entities(${args} first: ${pageSize}, after: $a) { totalCount pageInfo { hasNextPage endCursor } nodes { id name mentionCount } } }`,
      { a: after },
    );
    expect(errors).toBeUndefined();
    out.push(...data.entities.nodes);
    if (!data.entities.pageInfo.hasNextPage) return out;
    after = data.entities.pageInfo.endCursor;
  }
  throw new Error('too many pages');
}

describe('entities: orders and filters', () => {
  let server: TestServer;
  let degree: Map<string, number>;
  let total: number;
  beforeAll(async () => {
    server = await startTestServer();
    const { data } = await server.gql('{ entities(first: 100) { totalCount nodes { id } } relationships(first: 100) { nodes { source { id } target { id } } } }');
    total = data.entities.totalCount;
    degree = new Map(data.entities.nodes.map((e: any) => [e.id, 0]));
    for (const r of data.relationships.nodes) {
      degree.set(r.source.id, degree.get(r.source.id)! + 1);
      degree.set(r.target.id, degree.get(r.target.id)! + 1);
    }
  });
  afterAll(async () => {
    await server?.stop();
  });

  const byName = (a: any, b: any): number => {
    const norm = (s: string): string => s.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
    return norm(a.name) < norm(b.name) ? -1 : norm(a.name) > norm(b.name) ? 1 : 0;
  };

  it('orders by mention count, most first, ties by name, across keyset pages', async () => {
    const rows = await allPages(server, 'orderBy: MENTIONS,', 4);
    expect(rows).toHaveLength(total);
    expect(new Set(rows.map((r) => r.id)).size).toBe(total);
    const expected = [...rows].sort((a, b) => b.mentionCount - a.mentionCount || byName(a, b));
    expect(rows.map((r) => r.id)).toEqual(expected.map((r) => r.id));
    expect(rows[0].name).toBe('MINUSMA'); // the article's most named entity
  });

  it('orders by degree (relationships at either end), most first, across keyset pages', async () => {
    const rows = await allPages(server, 'orderBy: DEGREE,', 3);
    expect(rows).toHaveLength(total);
    const degrees = rows.map((r) => degree.get(r.id)!);
    expect(degrees).toEqual([...degrees].sort((a, b) => b - a));
    for (let i = 1; i < rows.length; i++) if (degrees[i] === degrees[i - 1]) expect(byName(rows[i - 1], rows[i])).toBeLessThanOrEqual(0);
  });

  it('filters by name or alias prefix, ignoring case, diacritics and punctuation, and counts in the database', async () => {
    const { data } = await server.gql(`{
      neben: entities(namePrefix: "Neben") { totalCount nodes { id } }
      blue: entities(namePrefix: "blue") { totalCount nodes { id } }
      alq: entities(namePrefix: "AL-Q") { totalCount nodes { id } }
      mali: entities(namePrefix: "Mali", type: ACTOR, orderBy: MENTIONS) { totalCount nodes { id } }
      none: entities(namePrefix: "zzz") { totalCount nodes { id } }
    }`);
    expect(data.neben).toEqual({ totalCount: 1, nodes: [{ id: 'person:vassily-nebenzia' }] });
    expect(data.blue).toEqual({ totalCount: 1, nodes: [{ id: 'actor:minusma' }] }); // "blue helmets"
    expect(data.alq.nodes.map((n: any) => n.id)).toEqual(['actor:al-qaeda']);
    // Actors named or aliased "Mali…": Mali ("Malian"), Malian troops, Malian citizens ("Malians").
    expect(data.mali.nodes.map((n: any) => n.id).sort()).toEqual(['actor:mali', 'actor:malian-citizens', 'actor:malian-troops']);
    expect(data.mali.totalCount).toBe(3);
    expect(data.none).toEqual({ totalCount: 0, nodes: [] });
  });

  it('rejects a cursor of another order', async () => {
    const first = await server.gql('{ entities(first: 1) { pageInfo { endCursor } } }');
    const { errors } = await server.gql('query($a: String) { entities(orderBy: DEGREE, after: $a) { totalCount } }', { a: first.data.entities.pageInfo.endCursor });
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
