import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestServer, type TestServer } from '../helpers/test-server.js';

const PATH = `
  length
  entities { id }
  steps {
    from { id } to { id } linkType label forward
    link { __typename ... on Node { id } }
    evidence { start end exact document { id } }
  }
`;

describe('paths and neighbourhoods', () => {
  let server: TestServer;
  let text: string[];
  let relationships: { source: string; target: string }[];
  beforeAll(async () => {
    server = await startTestServer();
    const { data } = await server.gql('{ documents { nodes { text } } relationships(first: 100) { totalCount nodes { source { id } target { id } } } }');
    text = Array.from(data.documents.nodes[0].text as string);
    expect(data.relationships.totalCount).toBeLessThanOrEqual(100);
    relationships = data.relationships.nodes.map((r: any) => ({ source: r.source.id, target: r.target.id }));
  });
  afterAll(async () => {
    await server?.stop();
  });

  const checkEvidence = (path: any): void => {
    for (const step of path.steps) {
      expect(step.evidence.length).toBeGreaterThan(0);
      for (const e of step.evidence) expect(e.exact).toBe(text.slice(e.start, e.end).join(''));
    }
  };

  it('connects Wagner to MINUSMA in one step: MINUSMA called Wagner out over the Moura massacre', async () => {
    const { data, errors } = await server.gql(`{ path(from: "actor:wagner", to: "actor:minusma") { ${PATH} } }`);
    expect(errors).toBeUndefined();
    const { path } = data;
    expect(path.length).toBe(1);
    expect(path.entities.map((e: any) => e.id)).toEqual(['actor:wagner', 'actor:minusma']);
    // Both the accusation (a statement) and the massacre (an event) link them; a statement is preferred to an event.
    expect(path.steps[0].link).toEqual({ __typename: 'Statement', id: 'statement:minusma-wagner-moura-accusation' });
    expect(path.steps[0].forward).toBe(false); // MINUSMA spoke about Wagner, the step goes the other way
    expect(path.steps[0].evidence.map((e: any) => e.exact).join(' ')).toContain('was called out by MINUSMA');
    checkEvidence(path);
  });

  it('through relationships only, Wagner reaches MINUSMA in three steps, by exactly four routes through Russia', async () => {
    // By hand from the relationships: Wagner's only relationship is with Russia; Russia's and
    // MINUSMA's relationships share four entities: the UN, Mali, Malian citizens, the junta.
    const { data } = await server.gql(`{ paths(from: "actor:wagner", to: "actor:minusma", via: [RELATIONSHIP], maxLength: 3, first: 20) { ${PATH} } }`);
    expect(data.paths).toHaveLength(4);
    const middles = data.paths.map((p: any) => {
      expect(p.length).toBe(3);
      expect(p.entities[1].id).toBe('actor:russia');
      checkEvidence(p);
      for (const s of p.steps) expect(s.link.__typename).toBe('Relationship');
      return p.entities[2].id;
    });
    expect(middles.sort()).toEqual(['actor:mali', 'actor:mali-interim-military-government', 'actor:malian-citizens', 'actor:un']);

    // A second method: every simple path of length ≤ 3 by brute force over the relationships list.
    const neighbours = new Map<string, Set<string>>();
    for (const r of relationships) {
      for (const [a, b] of [[r.source, r.target], [r.target, r.source]] as const) {
        if (!neighbours.has(a)) neighbours.set(a, new Set());
        neighbours.get(a)!.add(b);
      }
    }
    const found: string[][] = [];
    const walk = (path: string[]): void => {
      const last = path[path.length - 1]!;
      if (last === 'actor:minusma') return void found.push(path);
      if (path.length > 3) return;
      for (const n of neighbours.get(last) ?? []) if (!path.includes(n)) walk([...path, n]);
    };
    walk(['actor:wagner']);
    expect(found.map((p) => p.join('>')).sort()).toEqual(data.paths.map((p: any) => p.entities.map((e: any) => e.id).join('>')).sort());
  });

  it('returns the k shortest paths shortest first, without cycles', async () => {
    const { data } = await server.gql(`{ paths(from: "actor:wagner", to: "actor:minusma", maxLength: 4, first: 20) { ${PATH} } }`);
    expect(data.paths.length).toBe(20);
    expect(data.paths[0].length).toBe(1);
    const lengths = data.paths.map((p: any) => p.length);
    expect(lengths).toEqual([...lengths].sort((a, b) => a - b));
    const keys = new Set<string>();
    for (const p of data.paths) {
      const ids = p.entities.map((e: any) => e.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids[0]).toBe('actor:wagner');
      expect(ids[ids.length - 1]).toBe('actor:minusma');
      keys.add(ids.join('>'));
      for (let i = 0; i < p.steps.length; i++) {
        expect(p.steps[i].from.id).toBe(ids[i]);
        expect(p.steps[i].to.id).toBe(ids[i + 1]);
      }
      checkEvidence(p);
    }
    expect(keys.size).toBe(data.paths.length);
  });

  it('connects Nebenzia and Wane through the meeting both spoke at, with both participations as evidence', async () => {
    const { data } = await server.gql(`{ path(from: "person:vassily-nebenzia", to: "person:el-ghassim-wane") { ${PATH} } }`);
    expect(data.path.length).toBe(1);
    expect(data.path.steps[0].link).toEqual({ __typename: 'Event', id: 'event:meeting-with-un-officials' });
    const evidence = data.path.steps[0].evidence.map((e: any) => e.exact).join(' | ');
    expect(evidence).toContain('Vassily Nebenzia said at the same meeting');
    expect(evidence).toContain('El Ghassim Wane');
    checkEvidence(data.path);
  });

  it('through relationships only, Nebenzia reaches Wane in four steps (Russia … MINUSMA), not fewer', async () => {
    const { data } = await server.gql(`{ path(from: "person:vassily-nebenzia", to: "person:el-ghassim-wane", via: [RELATIONSHIP], maxLength: 6) { ${PATH} } }`);
    expect(data.path.length).toBe(4);
    const ids = data.path.entities.map((e: any) => e.id);
    expect(ids[1]).toBe('actor:russia');
    expect(ids[3]).toBe('actor:minusma');
    checkEvidence(data.path);
    const short = await server.gql('{ path(from: "person:vassily-nebenzia", to: "person:el-ghassim-wane", via: [RELATIONSHIP], maxLength: 3) { length } }');
    expect(short.data.path).toBeNull();
  });

  it('answers null or an empty list for unknown ids, and a zero-step path from an entity to itself', async () => {
    const { data } = await server.gql('{ a: path(from: "actor:nobody", to: "actor:mali") { length } b: paths(from: "actor:mali", to: "event:2020-coups") { length } c: path(from: "actor:mali", to: "actor:mali") { length steps { label } } }');
    expect(data).toEqual({ a: null, b: [], c: { length: 0, steps: [] } });
  });

  it('caps maxLength at 6 and checks first', async () => {
    for (const q of [
      '{ path(from: "actor:wagner", to: "actor:minusma", maxLength: 7) { length } }',
      '{ path(from: "actor:wagner", to: "actor:minusma", maxLength: 0) { length } }',
      '{ paths(from: "actor:wagner", to: "actor:minusma", first: 0) { length } }',
      '{ paths(from: "actor:wagner", to: "actor:minusma", first: 21) { length } }',
    ]) {
      const { errors } = await server.gql(q);
      expect(errors?.[0]?.extensions?.code, q).toBe('BAD_USER_INPUT');
    }
  });

  it("gives Wagner's neighbourhood: the entities its relationships, statements and events link it to", async () => {
    // Worked out through the plain lists: relationships, statements by and about, events.
    const lists = await server.gql(`{
      relationships(entity: "actor:wagner", first: 100) { nodes { source { id } target { id } } }
      about: statements(about: "actor:wagner", first: 100) { nodes { speaker { id } } }
      by: statements(speaker: "actor:wagner", first: 100) { nodes { about { ... on Node { id } } } }
      events(participant: "actor:wagner", first: 100) { nodes { participants { entity { id } } } }
    }`);
    const expected = new Set<string>();
    for (const r of lists.data.relationships.nodes) expected.add(r.source.id).add(r.target.id);
    for (const s of lists.data.about.nodes) expected.add(s.speaker.id);
    for (const s of lists.data.by.nodes) for (const a of s.about) if (!a.id.startsWith('event:')) expected.add(a.id);
    for (const e of lists.data.events.nodes) for (const p of e.participants) expected.add(p.entity.id);
    expected.delete('actor:wagner');
    expect([...expected].sort()).toEqual(['actor:minusma', 'actor:owp', 'actor:russia']);

    const { data } = await server.gql('{ neighborhood(id: "actor:wagner") { truncated nodes { id label type weight depth } edges { id source target label type linkId weight } } }');
    const n = data.neighborhood;
    expect(n.truncated).toBe(false);
    expect(n.nodes[0]).toMatchObject({ id: 'actor:wagner', label: 'Wagner', type: 'ACTOR', depth: 0 });
    expect(n.nodes.slice(1).map((x: any) => x.id).sort()).toEqual([...expected].sort());
    const ids = new Set(n.nodes.map((x: any) => x.id));
    expect(new Set(n.edges.map((e: any) => e.id)).size).toBe(n.edges.length);
    for (const e of n.edges) {
      expect(ids.has(e.source) && ids.has(e.target)).toBe(true);
      expect(e.weight).toBe(1);
    }
    // The one relationship (Wagner AFFILIATED_WITH Russia) keeps its direction.
    expect(n.edges).toContainEqual(expect.objectContaining({ source: 'actor:wagner', target: 'actor:russia', label: 'AFFILIATED_WITH', type: 'RELATIONSHIP' }));
  });

  it('cuts a neighbourhood at its limit and says so', async () => {
    const { data } = await server.gql('{ neighborhood(id: "actor:minusma", depth: 2, limit: 3) { truncated nodes { id } edges { source target } } }');
    expect(data.neighborhood.truncated).toBe(true);
    expect(data.neighborhood.nodes).toHaveLength(3);
    const bad = await server.gql('{ neighborhood(id: "actor:minusma", depth: 4) { truncated } }');
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const none = await server.gql('{ neighborhood(id: "actor:nobody") { truncated } }');
    expect(none.data.neighborhood).toBeNull();
  });

  it('cuts the edges at maxEdges, keeping the centre\'s own links first, and says so', async () => {
    const all = (await server.gql('{ neighborhood(id: "actor:minusma", depth: 2, limit: 50) { truncated nodes { id } edges { id source target } } }')).data.neighborhood;
    expect(all.edges.length).toBeGreaterThan(2);
    const cut = (await server.gql('{ neighborhood(id: "actor:minusma", depth: 2, limit: 50, maxEdges: 2) { truncated nodes { id } edges { id source target } } }')).data.neighborhood;
    expect(cut.nodes).toEqual(all.nodes);
    expect(cut.edges).toHaveLength(2);
    expect(cut.truncated).toBe(true);
    // Edges rank by their later end in node order: the centre's links to the first nodes come first (on the
    // article, both kept edges touch MINUSMA, which has more than two links among these nodes).
    expect(all.edges.filter((e: any) => e.source === 'actor:minusma' || e.target === 'actor:minusma').length).toBeGreaterThan(2);
    for (const e of cut.edges) expect([e.source, e.target]).toContain('actor:minusma');
    for (const bad of [0, 25_001]) {
      const res = await server.gql(`{ neighborhood(id: "actor:minusma", maxEdges: ${bad}) { truncated } }`);
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0]?.message).toMatch(/maxEdges/);
    }
  });
});
