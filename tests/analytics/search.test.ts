import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestServer, type TestServer } from '../helpers/test-server.js';

const HIT = `
  score snippet text highlights { start end }
  subject { __typename ... on Node { id } }
  evidence { start end exact prefix suffix document { id } }
`;

describe('search', () => {
  let server: TestServer;
  let text: string[]; // the article, one code point per element
  beforeAll(async () => {
    server = await startTestServer();
    const { data } = await server.gql('{ documents { nodes { id text } } }');
    text = Array.from(data.documents.nodes[0].text as string);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const slice = (start: number, end: number): string => text.slice(start, end).join('');

  it('finds Nebenzia by the prefix "Neben", the person first, with highlighted snippets and real evidence', async () => {
    const { data, errors } = await server.gql(`{ search(query: "Neben") { totalCount relaxed terms nodes { ${HIT} } } }`);
    expect(errors).toBeUndefined();
    const { search } = data;
    expect(search.relaxed).toBe(false);
    expect(search.terms).toEqual(['neben']);
    expect(search.nodes[0].subject).toEqual({ __typename: 'Person', id: 'person:vassily-nebenzia' });
    // The article names Nebenzia twice, so the document and his statement are found too.
    const ids = search.nodes.map((n: any) => n.subject.id);
    expect(ids).toContain('document:mali-asks-un-to-end-peacekeeping-mission');
    expect(ids).toContain('statement:owp-nebenzia-biased');
    expect(search.totalCount).toBe(search.nodes.length);
    for (const hit of search.nodes) {
      expect(hit.snippet).toMatch(/<mark>Nebenzia<\/mark>/);
      for (const h of hit.highlights) expect(Array.from(hit.text as string).slice(h.start, h.end).join('')).toBe('Nebenzia');
      // The evidence is the document's own text at those code point offsets.
      expect(hit.evidence.exact).toBe(slice(hit.evidence.start, hit.evidence.end));
    }
    const doc = search.nodes.find((n: any) => n.subject.__typename === 'Document');
    // For document text the snippet's plain text is exactly the evidence.
    expect(doc.text).toBe(doc.evidence.exact);
    expect(doc.evidence.exact).toContain('Nebenzia said at the same meeting');
  });

  it('treats quotes, parentheses and operators as text, never as an error', async () => {
    for (const query of ['"', 'AND OR (', '"Wagner', 'NEAR(a b)', '*', '-', "'", 'minusma OR', ')(', '^', 'NOT', '\\', '{}', '   ']) {
      const { data, errors, status } = await server.gql('query($q: String!) { search(query: $q) { totalCount nodes { score } } }', { q: query });
      expect(status, query).toBe(200);
      expect(errors, query).toBeUndefined();
      expect(data.search.totalCount, query).toBe(data.search.nodes.length);
    }
    const quote = await server.gql('{ search(query: "\\"") { totalCount } }');
    expect(quote.data.search.totalCount).toBe(0);
    const wagner = await server.gql('{ search(query: "\\"Wagner") { nodes { subject { ... on Node { id } } } } }');
    expect(wagner.data.search.nodes[0].subject.id).toBe('actor:wagner');
  });

  it('relaxes a search that finds nothing, so misspellings still find the entity', async () => {
    const { data } = await server.gql('{ search(query: "Vasilly Nebensia") { relaxed terms nodes { subject { ... on Node { id } } } } }');
    expect(data.search.relaxed).toBe(true);
    expect(data.search.terms).toEqual(['vasi', 'nebe']);
    expect(data.search.nodes[0].subject.id).toBe('person:vassily-nebenzia');
    const alQaeda = await server.gql('{ search(query: "al qaeda", types: [ACTOR]) { relaxed nodes { subject { ... on Node { id } } } } }');
    expect(alQaeda.data.search.relaxed).toBe(false);
    expect(alQaeda.data.search.nodes[0].subject.id).toBe('actor:al-qaeda');
  });

  it('ignores case and diacritics', async () => {
    const { data } = await server.gql('{ search(query: "MÍNUSMA BLUE helmets", types: [ACTOR]) { nodes { subject { ... on Node { id } } } } }');
    expect(data.search.nodes.map((n: any) => n.subject.id)).toEqual(['actor:minusma']);
  });

  it('filters by type', async () => {
    const { data } = await server.gql('{ search(query: "MINUSMA", types: [STATEMENT, EVENT], first: 100) { totalCount nodes { subject { __typename } } } }');
    expect(data.search.totalCount).toBeGreaterThan(0);
    for (const n of data.search.nodes) expect(['Statement', 'Event']).toContain(n.subject.__typename);
  });

  it('pages by cursor without gaps or repeats, and counts in the database', async () => {
    const all = await server.gql('{ search(query: "UN", first: 100) { totalCount nodes { subject { ... on Node { id } } } } }');
    const expected = all.data.search.nodes.map((n: any) => n.subject.id);
    expect(expected.length).toBe(all.data.search.totalCount);
    expect(expected.length).toBeGreaterThan(5);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = await server.gql('query($a: String) { search(query: "UN", first: 3, after: $a) { pageInfo { hasNextPage endCursor } nodes { subject { ... on Node { id } } } } }', { a: after });
      seen.push(...page.data.search.nodes.map((n: any) => n.subject.id));
      if (!page.data.search.pageInfo.hasNextPage) break;
      after = page.data.search.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
  });

  it('counts every hit whatever page is asked: the first, a later one, the last one, an empty one (against paging through all)', async () => {
    // totalCount of a first page that ends the hits is that page's length (no count query); of any other page,
    // the database's count. Expected here: the number of distinct hits seen when paging through every hit.
    const every = async (q: string, types: string[] | null): Promise<string[]> => {
      const ids: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page: any = await server.gql('query($q: String!, $t: [SearchType!], $a: String) { search(query: $q, types: $t, first: 2, after: $a) { pageInfo { hasNextPage endCursor } nodes { subject { ... on Node { id } } } } }', { q, t: types, a: after });
        ids.push(...page.data.search.nodes.map((n: any) => n.subject.id));
        if (!page.data.search.pageInfo.hasNextPage) return ids;
        after = page.data.search.pageInfo.endCursor;
      }
    };
    const cases: [string, string[] | null][] = [['Nebenzia', null], ['UN', null], ['MINUSMA', ['STATEMENT', 'EVENT']], ['Vasilly Nebensia', null], ['zzqxv', null], ['Wagner', ['ACTOR']]];
    let shortFirstPages = 0;
    for (const [q, types] of cases) {
      const ids = await every(q, types);
      expect(new Set(ids).size, q).toBe(ids.length);
      const total = ids.length;
      const query = 'query($q: String!, $t: [SearchType!], $f: Int, $a: String) { search(query: $q, types: $t, first: $f, after: $a) { totalCount pageInfo { hasNextPage endCursor } nodes { score } } }';
      for (const first of [0, 1, 3, total, total + 5, 100]) {
        const page: any = await server.gql(query, { q, t: types, f: first });
        expect(page.errors, `${q} first ${first}`).toBeUndefined();
        expect(page.data.search.totalCount, `${q} first ${first}`).toBe(total);
        if (!page.data.search.pageInfo.hasNextPage && first > 0) shortFirstPages++;
        // The last page reached by a cursor ends the hits too, yet holds only some of them.
        if (first > 0 && page.data.search.pageInfo.hasNextPage) {
          let after = page.data.search.pageInfo.endCursor;
          for (;;) {
            const next: any = await server.gql(query, { q, t: types, f: first, a: after });
            expect(next.data.search.totalCount, `${q} first ${first} after a cursor`).toBe(total);
            if (!next.data.search.pageInfo.hasNextPage) break;
            after = next.data.search.pageInfo.endCursor;
          }
        }
      }
    }
    expect(shortFirstPages).toBeGreaterThan(5);
  });

  it('rejects a malformed cursor and a bad page size with BAD_USER_INPUT', async () => {
    for (const [q, v] of [
      ['query($a: String) { search(query: "UN", after: $a) { totalCount } }', { a: 'WyJ4IiwieSJd' }], // ["x","y"]: not a rank
      ['query($a: String) { search(query: "UN", after: $a) { totalCount } }', { a: '!!' }],
      ['{ search(query: "UN", first: -1) { totalCount } }', {}],
    ] as const) {
      const { errors, status } = await server.gql(q, v);
      expect(status).toBe(200);
      expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});

describe('search evidence counts code points, not UTF-16 units', () => {
  let server: TestServer;
  let dir: string;
  beforeAll(async () => {
    const { cpSync, mkdtempSync, readFileSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { SEEDS_DIR } = await import('../helpers/test-server.js');
    dir = mkdtempSync(join(tmpdir(), 'kg-seeds-'));
    cpSync(SEEDS_DIR, dir, { recursive: true });
    const file = join(dir, '000_ff0b82d8339bd64f.txt');
    // Characters outside the Basic Multilingual Plane before every match.
    writeFileSync(file, `𝕄𝕒𝕝𝕚 🇲🇱 ${readFileSync(file, 'utf8')}`);
    server = await startTestServer({ seedsDir: dir });
  });
  afterAll(async () => {
    await server?.stop();
    const { rmSync } = await import('node:fs');
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives offsets whose code points are the exact text', async () => {
    const { data } = await server.gql('{ documents { nodes { text } } search(query: "Nebenzia", first: 100) { nodes { highlights { start end } text evidence { start end exact } } } }');
    const text = Array.from(data.documents.nodes[0].text as string);
    expect(data.search.nodes.length).toBeGreaterThan(0);
    for (const hit of data.search.nodes) {
      expect(hit.evidence.exact).toBe(text.slice(hit.evidence.start, hit.evidence.end).join(''));
      for (const h of hit.highlights) expect(Array.from(hit.text as string).slice(h.start, h.end).join('')).toBe('Nebenzia');
    }
  });
});
