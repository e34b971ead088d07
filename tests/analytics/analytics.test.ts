import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestServer, type TestServer } from '../helpers/test-server.js';

describe('analytics', () => {
  let server: TestServer;
  let entityIds: string[];
  let degree: Map<string, number>;
  beforeAll(async () => {
    // Some checks read whole lists in one query: lift the cost limit meant for clients.
    server = await startTestServer({ env: { MAX_COST: '10000000' } });
    const { data } = await server.gql('{ entities(first: 100) { totalCount nodes { id } } relationships(first: 100) { totalCount nodes { source { id } target { id } } } }');
    expect(data.entities.totalCount).toBeLessThanOrEqual(100);
    expect(data.relationships.totalCount).toBeLessThanOrEqual(100);
    entityIds = data.entities.nodes.map((e: any) => e.id);
    // Degree by hand: every relationship counts once for each end.
    degree = new Map(entityIds.map((id) => [id, 0]));
    for (const r of data.relationships.nodes) {
      degree.set(r.source.id, degree.get(r.source.id)! + 1);
      degree.set(r.target.id, degree.get(r.target.id)! + 1);
    }
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('counts what the lists hold', async () => {
    const { data } = await server.gql(`{
      stats { entities events statements relationships documents mentions counts { subject type kind count label value ids series } }
      entities { totalCount } events { totalCount } statements { totalCount } relationships { totalCount } documents { totalCount }
      actors: entities(type: ACTOR) { totalCount } states: entities(kind: STATE) { totalCount }
      mentions: documents { nodes { mentions { totalCount } } }
    }`);
    const s = data.stats;
    expect(s.entities).toBe(data.entities.totalCount);
    expect(s.events).toBe(data.events.totalCount);
    expect(s.statements).toBe(data.statements.totalCount);
    expect(s.relationships).toBe(data.relationships.totalCount);
    expect(s.documents).toBe(data.documents.totalCount);
    expect(s.mentions).toBe(data.mentions.nodes[0].mentions.totalCount);
    const actorRows = s.counts.filter((c: any) => c.subject === 'ENTITY' && c.type === 'ACTOR');
    expect(actorRows.reduce((n: number, c: any) => n + c.count, 0)).toBe(data.actors.totalCount);
    // Mali, Russia and the US are the article's states.
    expect(s.counts.find((c: any) => c.subject === 'ENTITY' && c.kind === 'STATE')).toMatchObject({ count: 3, value: 3, label: 'ENTITY ACTOR STATE', ids: [], series: 'ENTITY' });
    expect(data.states.totalCount).toBe(3);
  });

  it('ranks by DEGREE as the relationships list counts, normalised by (entities − 1)', async () => {
    const { data } = await server.gql('{ centrality(metric: DEGREE, first: 100) { entity { id } score rank label value ids series } }');
    const ranked = data.centrality;
    expect(ranked).toHaveLength(entityIds.length);
    for (const r of ranked) {
      expect(Math.round(r.score * (entityIds.length - 1))).toBe(degree.get(r.entity.id));
      expect(r.value).toBe(r.score);
      expect(r.ids).toEqual([r.entity.id]);
      expect(r.series).toBe('DEGREE');
    }
    const expectedTop = [...degree.entries()].sort((a, b) => b[1] - a[1])[0]!;
    expect(ranked[0].entity.id).toBe(expectedTop[0]);
    expect(ranked[0].entity.id).toBe('actor:russia'); // 8 relationships: Russia is at the centre of this story
    expect(ranked[0].rank).toBe(1);
    // Equal scores share a rank.
    for (let i = 1; i < ranked.length; i++) {
      if (ranked[i].score === ranked[i - 1].score) expect(ranked[i].rank).toBe(ranked[i - 1].rank);
      else expect(ranked[i].rank).toBe(i + 1);
    }
    const top3 = await server.gql('{ centrality(metric: DEGREE, first: 3) { entity { id } } }');
    expect(top3.data.centrality).toHaveLength(3);
  });

  it('ranks by DEGREE over every kind of link as the lists count them', async () => {
    // By hand: each relationship, each (speaker, entity subject) of a statement, and each pair of
    // entities taking part in the same event adds one link to both ends.
    const { data: lists } = await server.gql(`{
      statements(first: 100) { nodes { speaker { id } about { __typename ... on Node { id } } } }
      events(first: 100) { nodes { participants { entity { id } } } }
    }`);
    const links = new Map(degree);
    const add = (a: string, b: string): void => {
      if (a === b) return;
      links.set(a, links.get(a)! + 1);
      links.set(b, links.get(b)! + 1);
    };
    for (const s of lists.statements.nodes) for (const a of s.about) if (a.__typename !== 'Event') add(s.speaker.id, a.id);
    for (const e of lists.events.nodes) {
      const ids = [...new Set<string>(e.participants.map((p: any) => p.entity.id))];
      for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) add(ids[i]!, ids[j]!);
    }
    const { data } = await server.gql('{ centrality(metric: DEGREE, first: 100, via: [RELATIONSHIP, STATEMENT, EVENT]) { entity { id } score } }');
    expect(data.centrality).toHaveLength(entityIds.length);
    for (const r of data.centrality) expect(Math.round(r.score * (entityIds.length - 1)), r.entity.id).toBe(links.get(r.entity.id));
  });

  it('computes PAGERANK as a distribution and BETWEENNESS as zero for entities with one link', async () => {
    const { data } = await server.gql('{ p: centrality(metric: PAGERANK, first: 100) { entity { id } score } b: centrality(metric: BETWEENNESS, first: 100) { entity { id } score } }');
    const total = data.p.reduce((n: number, r: any) => n + r.score, 0);
    expect(total).toBeCloseTo(1, 6);
    for (const r of data.b) {
      if ((degree.get(r.entity.id) ?? 0) <= 1) expect(r.score).toBe(0);
    }
    // Russia is the only way from Wagner or Nebenzia to anyone else.
    expect(data.b.find((r: any) => r.entity.id === 'actor:russia').score).toBeGreaterThan(0);
  });

  it('finds communities that partition the linked entities', async () => {
    const { data } = await server.gql('{ communities(minSize: 1) { id size label value ids members { id } modularity } }');
    const seen = new Set<string>();
    for (const c of data.communities) {
      expect(c.size).toBe(c.members.length);
      expect(c.ids).toEqual(c.members.map((m: any) => m.id));
      expect(c.value).toBe(c.size);
      for (const id of c.ids) {
        expect(seen.has(id)).toBe(false);
        seen.add(id);
      }
    }
    const linked = [...degree.entries()].filter(([, d]) => d > 0).map(([id]) => id).sort();
    expect([...seen].sort()).toEqual(linked);
    const again = await server.gql('{ communities(minSize: 1) { ids } }');
    expect(again.data.communities.map((c: any) => c.ids)).toEqual(data.communities.map((c: any) => c.ids));
  });

  it('buckets the timeline by year: 2013 (rebellion), 2020 (coups), 2022 (Moura), 2023 (June 30th, year inferred)', async () => {
    const { data } = await server.gql('{ timeline(granularity: YEAR) { label start end count inferredCount precision yearOnly value ids series events { nodes { id } } } }');
    expect(data.timeline.map((b: any) => [b.label, b.count, b.inferredCount])).toEqual([
      ['2013', 1, 0],
      ['2020', 1, 0],
      ['2022', 1, 0],
      ['2023', 1, 1],
    ]);
    expect(data.timeline[2]).toMatchObject({ start: '2022-01-01', end: '2022-12-31', precision: 'YEAR', yearOnly: false, value: 1, ids: ['event:moura-massacre'] });
    expect(data.timeline[0].events.nodes).toEqual([{ id: 'event:2013-rebellion' }]);
  });

  it('never puts a year-only date in a month: 2013 and 2020 get year-only buckets, March 2022 and June 2023 their months', async () => {
    const { data } = await server.gql('{ timeline(granularity: MONTH) { label start end count precision yearOnly series events { nodes { id } } } }');
    expect(data.timeline.map((b: any) => b.label)).toEqual(['2013 (year only)', '2020 (year only)', '2022-03', '2023-06']);
    expect(data.timeline[0]).toMatchObject({ start: '2013-01-01', end: '2013-12-31', precision: 'YEAR', yearOnly: true, series: 'YEAR_ONLY' });
    expect(data.timeline[2]).toMatchObject({ start: '2022-03-01', end: '2022-03-31', precision: 'MONTH', yearOnly: false, events: { nodes: [{ id: 'event:moura-massacre' }] } });
    expect(data.timeline[3]).toMatchObject({ start: '2023-06-01', end: '2023-06-30', events: { nodes: [{ id: 'event:un-decision-deadline' }] } });
    // A window inside 2013 overlaps the year-only date but no month.
    const june2013 = await server.gql('{ timeline(granularity: MONTH, from: "2013-06-01", to: "2013-06-30") { label count } }');
    expect(june2013.data.timeline).toEqual([{ label: '2013 (year only)', count: 1 }]);
    const later = await server.gql('{ timeline(granularity: MONTH, from: "2022-01-01") { label } }');
    expect(later.data.timeline.map((b: any) => b.label)).toEqual(['2022-03', '2023-06']);
    const bad = await server.gql('{ timeline(granularity: YEAR, from: "2023-01-01", to: "2022-01-01") { label } }');
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('counts who says what about whom as the statements list does', async () => {
    const { data } = await server.gql(`{
      statements(first: 100) { totalCount nodes { kind speaker { id } about { ... on Node { id } } } }
      statementMatrix(first: 1000) { speaker { id } subject { ... on Node { id } } kind count label value ids series }
    }`);
    expect(data.statements.totalCount).toBeLessThanOrEqual(100);
    const expected = new Map<string, number>();
    for (const s of data.statements.nodes) {
      for (const a of s.about) {
        const key = `${s.speaker.id}|${a.id}|${s.kind}`;
        expected.set(key, (expected.get(key) ?? 0) + 1);
      }
    }
    const got = new Map<string, number>(data.statementMatrix.map((c: any) => [`${c.speaker.id}|${c.subject.id}|${c.kind}`, c.count]));
    expect(got).toEqual(expected);
    for (const c of data.statementMatrix) {
      expect(c.value).toBe(c.count);
      expect(c.ids).toEqual([c.speaker.id, c.subject.id]);
      expect(c.series).toBe(c.kind);
    }
    // From the article: MINUSMA accused Wagner; Russia accused Western European and US forces (and MINUSMA's role).
    const accusations = await server.gql('{ statementMatrix(kinds: [ACCUSATION]) { label speaker { id } subject { ... on Node { id } } } }');
    expect(accusations.data.statementMatrix.map((c: any) => `${c.speaker.id}>${c.subject.id}`).sort()).toEqual([
      'actor:minusma>actor:wagner',
      'actor:minusma>event:moura-massacre',
      'actor:russia>actor:minusma',
      'actor:russia>actor:us',
      'actor:russia>actor:western-european-nations',
    ]);
    expect(accusations.data.statementMatrix.map((c: any) => c.label)).toContain('MINUSMA → Wagner');
  });

  it('counts co-mentions per sentence as a second segmentation of the text does', async () => {
    const { data } = await server.gql(`{
      documents { nodes { text mentions(first: 100) { totalCount nodes { entity { id } evidence { start end } } } } }
      coMentions(first: 100) { a { id } b { id } count label value ids evidence { start end exact } }
    }`);
    const doc = data.documents.nodes[0];
    expect(doc.mentions.totalCount).toBeLessThanOrEqual(100);
    const text = Array.from(doc.text as string);
    // Sentences by a regular expression: from a non-space to . ! ? (and a closing quote) before a space, or to a line break.
    const joined = text.join('');
    const cps = (index: number): number => Array.from(joined.slice(0, index)).length;
    const sentences = [...joined.matchAll(/\S[^\n]*?(?:[.!?][”"’]?(?=\s|$)|(?=\n)|$)/gu)].map((m) => ({ start: cps(m.index), end: cps(m.index + m[0].length) }));
    expect(sentences.length).toBeGreaterThan(25);
    const pairs = new Map<string, number>();
    for (const s of sentences) {
      const inside = new Set<string>(doc.mentions.nodes.filter((m: any) => m.evidence.start >= s.start && m.evidence.start < s.end).map((m: any) => m.entity.id));
      const ids = [...inside].sort();
      for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) pairs.set(`${ids[i]}|${ids[j]}`, (pairs.get(`${ids[i]}|${ids[j]}`) ?? 0) + 1);
    }
    expect(data.coMentions.length).toBe(Math.min(100, pairs.size));
    for (const c of data.coMentions) {
      expect(c.a.id < c.b.id).toBe(true);
      expect(c.count, `${c.a.id}+${c.b.id}`).toBe(pairs.get(`${c.a.id}|${c.b.id}`));
      expect(c.value).toBe(c.count);
      expect(c.ids).toEqual([c.a.id, c.b.id]);
      expect(c.evidence.length).toBe(Math.min(5, c.count));
      for (const e of c.evidence) expect(e.exact).toBe(text.slice(e.start, e.end).join(''));
    }
    // "Nebenzia may not be an unbiased source of information as Wagner, … called out by MINUSMA …"
    const nw = data.coMentions.find((c: any) => c.a.id === 'actor:wagner' && c.b.id === 'person:vassily-nebenzia');
    expect(nw.evidence[0].exact).toMatch(/^Nebenzia may not be an unbiased source/);
  });

  it('checks its arguments', async () => {
    for (const q of [
      '{ centrality(metric: DEGREE, first: 0) { score } }',
      '{ centrality(metric: DEGREE, first: 101) { score } }',
      '{ statementMatrix(first: 0) { count } }',
      '{ coMentions(first: 101) { count } }',
      '{ communities(minSize: 0) { size } }',
    ]) {
      const { errors } = await server.gql(q);
      expect(errors?.[0]?.extensions?.code, q).toBe('BAD_USER_INPUT');
    }
    const { errors } = await server.gql('{ centrality(metric: CLOSENESS) { score } }');
    expect(errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('analytics caches', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('are invalidated when the graph changes', async () => {
    const q = '{ stats { relationships } centrality(metric: DEGREE, first: 1) { score entity { id } } communities { size } coMentions(first: 1) { count } }';
    const before = await server.gql(q);
    expect(before.data.stats.relationships).toBeGreaterThan(0);
    expect(before.data.centrality[0].score).toBeGreaterThan(0);
    expect(before.data.communities.length).toBeGreaterThan(0);
    // Rewrite the graph without relationships and mentions, as a rebuild would.
    const { compileSeeds } = await import('../../src/build/compile-seeds.js');
    const { SEEDS_DIR } = await import('../helpers/test-server.js');
    const { data, fingerprint } = compileSeeds(SEEDS_DIR);
    await server.store.replaceGraph({ ...data, relationships: [], mentions: [] }, fingerprint);
    const after = await server.gql(q);
    expect(after.data.stats.relationships).toBe(0);
    expect(after.data.centrality[0].score).toBe(0);
    expect(after.data.communities).toEqual([]);
    expect(after.data.coMentions).toEqual([]);
  });
});
