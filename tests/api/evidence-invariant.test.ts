/**
 * The evidence invariant, for every fact of the seed graph: `exact` is the
 * document's text between `start` and `end` counted in code points, and
 * `prefix`/`suffix` are the 32 code points around it. Mentions are whole
 * words, never overlap, and are exactly the entity's names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ARTICLE_ID, ARTICLE_TEXT } from '../helpers/article.js';
import { type EvidenceJson, spanProblems } from '../helpers/code-points.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const EVIDENCE = 'evidence { start end exact prefix suffix document { id } }';

let server: TestServer;
let graph: any;
/** The article's mentions, in document order. */
let mentions: { id: string; entity: { id: string }; evidence: EvidenceJson }[];

beforeAll(async () => {
  // This file reads every fact in a few large queries: lift the cost limit meant for clients.
  server = await startTestServer({ env: { MAX_COST: '10000000' } });
  graph = await server.data(`{
    entities(first: 100) { totalCount nodes { id name aliases mentionCount ${EVIDENCE}
      mentions(first: 100) { totalCount nodes { id entity { id } ${EVIDENCE} } } } }
    events(first: 100) { totalCount nodes { id ${EVIDENCE} participants { entity { id } role ${EVIDENCE} } } }
    statements(first: 100) { totalCount nodes { id text direct ${EVIDENCE} } }
    relationships(first: 100) { totalCount nodes { id ${EVIDENCE} } }
    documents { nodes { id mentions(first: 100) { totalCount pageInfo { hasNextPage } nodes { id entity { id } ${EVIDENCE} } } } }
  }`);
  mentions = graph.documents.nodes[0].mentions.nodes;
});
afterAll(async () => {
  await server?.stop();
});

const cps = Array.from(ARTICLE_TEXT);
const WORD = /[\p{L}\p{N}]/u;

/** Check every span of a list of facts; return how many were checked. */
function checkSpans(kind: string, facts: { id: string; evidence: EvidenceJson[] }[]): number {
  let n = 0;
  for (const fact of facts) {
    for (const span of fact.evidence) {
      expect(span.document?.id, `${kind} ${fact.id}`).toBe(ARTICLE_ID);
      expect(spanProblems(ARTICLE_TEXT, span), `${kind} ${fact.id}`).toEqual([]);
      n++;
    }
  }
  return n;
}

describe('every fact’s evidence is the document’s text at its offsets', () => {
  it('the lists are complete in one page (so nothing below is skipped)', () => {
    for (const list of ['entities', 'events', 'statements', 'relationships']) {
      expect(graph[list].nodes.length, list).toBe(graph[list].totalCount);
    }
    expect(graph.documents.nodes[0].mentions.pageInfo.hasNextPage).toBe(false);
  });

  it('entities', () => {
    for (const e of graph.entities.nodes) expect(e.evidence.length, e.id).toBeGreaterThan(0);
    expect(checkSpans('entity', graph.entities.nodes)).toBeGreaterThanOrEqual(graph.entities.totalCount);
  });

  it('events and their participants', () => {
    for (const e of graph.events.nodes) expect(e.evidence.length, e.id).toBeGreaterThan(0);
    checkSpans('event', graph.events.nodes);
    const participants = graph.events.nodes.flatMap((e: any) => e.participants.map((p: any) => ({ ...p, id: `${e.id} ${p.entity.id} ${p.role}` })));
    expect(participants.length).toBeGreaterThan(graph.events.totalCount);
    expect(checkSpans('participant', participants)).toBeGreaterThan(0);
  });

  it('statements; a direct quote’s text is one of its spans, a reported one’s text its first span', () => {
    checkSpans('statement', graph.statements.nodes);
    for (const s of graph.statements.nodes) {
      expect(s.evidence.length, s.id).toBeGreaterThan(0);
      if (s.direct) expect(s.evidence.map((e: EvidenceJson) => e.exact), s.id).toContain(s.text);
      else expect(s.text, s.id).toBe(s.evidence[0].exact);
    }
  });

  it('relationships', () => {
    for (const r of graph.relationships.nodes) expect(r.evidence.length, r.id).toBeGreaterThan(0);
    checkSpans('relationship', graph.relationships.nodes);
  });

  it('mentions, from the document and from each entity', () => {
    expect(mentions.length).toBeGreaterThan(50);
    checkSpans('mention', mentions.map((m) => ({ id: m.id, evidence: [m.evidence] })));
    const byEntity = graph.entities.nodes.flatMap((e: any) => e.mentions.nodes);
    checkSpans('mention', byEntity.map((m: any) => ({ id: m.id, evidence: [m.evidence] })));
    // The same mentions, whichever way they are reached.
    const key = (m: any) => `${m.id} ${m.entity.id} ${m.evidence.start}`;
    expect(byEntity.map(key).sort()).toEqual(mentions.map(key).sort());
  });

  it('the text contains astral-free but multi-byte characters; offsets still count characters, not bytes', () => {
    // The article has curly quotes (3 bytes in UTF-8) before most spans; byte offsets would differ.
    expect(Buffer.byteLength(ARTICLE_TEXT)).toBeGreaterThan(cps.length);
    const wane = graph.statements.nodes.find((s: any) => s.id === 'statement:el-ghassim-wane-consent');
    const at = ARTICLE_TEXT.indexOf('absent that consent');
    expect(wane.evidence[0].start).toBe(Array.from(ARTICLE_TEXT.slice(0, at)).length);
  });
});

describe('mentions', () => {
  it('are whole words, in document order, without overlaps, with ids from their offsets', () => {
    let reached = 0;
    for (const m of mentions) {
      const { start, end } = m.evidence;
      expect(start, m.id).toBeGreaterThanOrEqual(reached);
      reached = end;
      expect(start === 0 || !WORD.test(cps[start - 1]!), `${m.id} starts inside a word`).toBe(true);
      expect(end === cps.length || !WORD.test(cps[end]!), `${m.id} ends inside a word`).toBe(true);
      expect(m.id).toBe(`mention:mali-asks-un-to-end-peacekeeping-mission:${start}`);
    }
  });

  it('each is exactly one of its entity’s names (or that name with a capital first letter)', () => {
    const names = new Map<string, Set<string>>();
    for (const e of graph.entities.nodes) {
      const all = [e.name, ...e.aliases].flatMap((n: string) => [n, n[0]!.toUpperCase() + n.slice(1)]);
      names.set(e.id, new Set(all));
    }
    for (const m of mentions) expect(names.get(m.entity.id)!.has(m.evidence.exact), `${m.id}: ${m.evidence.exact} for ${m.entity.id}`).toBe(true);
  });

  it('"US" is found where the text says US, never inside "MINUSMA"', () => {
    const us = mentions.filter((m) => m.entity.id === 'actor:us');
    // "the Western European and US forces", "the US’s approach", "the US’s post-9/11 approach"
    const wholeWordUS = [...ARTICLE_TEXT.matchAll(/(?<![\p{L}\p{N}])US(?![\p{L}\p{N}])/gu)].length;
    expect(wholeWordUS).toBe(3);
    expect(us).toHaveLength(3);
    for (const m of us) {
      expect(m.evidence.exact).toBe('US');
      expect(cps.slice(m.evidence.start - 3, m.evidence.end + 2).join('')).not.toContain('MINUSMA');
    }
    const minusmaSpans = mentions.filter((m) => m.evidence.exact === 'MINUSMA');
    expect(minusmaSpans.length).toBe(ARTICLE_TEXT.split('MINUSMA').length - 1);
    for (const m of minusmaSpans) expect(m.entity.id).toBe('actor:minusma');
  });

  it('every whole-word occurrence of a name the text uses is covered by a mention', () => {
    const covered = (start: number, end: number) => mentions.some((m) => m.evidence.start <= start && end <= m.evidence.end);
    let occurrences = 0;
    for (const e of graph.entities.nodes) {
      for (const name of [e.name, ...e.aliases] as string[]) {
        for (let i = ARTICLE_TEXT.indexOf(name); i !== -1; i = ARTICLE_TEXT.indexOf(name, i + 1)) {
          const start = Array.from(ARTICLE_TEXT.slice(0, i)).length;
          const end = start + Array.from(name).length;
          const whole = (start === 0 || !WORD.test(cps[start - 1]!)) && (end === cps.length || !WORD.test(cps[end]!));
          if (!whole) continue;
          occurrences++;
          expect(covered(start, end), `"${name}" at ${start} (${e.id}) is not within any mention`).toBe(true);
        }
      }
    }
    expect(occurrences).toBeGreaterThanOrEqual(mentions.length);
  });

  it('an entity’s mentionCount is the number of its mentions, and they add up to the document’s', () => {
    let sum = 0;
    for (const e of graph.entities.nodes) {
      expect(e.mentionCount, e.id).toBe(e.mentions.totalCount);
      expect(e.mentions.nodes.length, e.id).toBe(e.mentions.totalCount);
      for (const m of e.mentions.nodes) expect(m.entity.id).toBe(e.id);
      sum += e.mentionCount;
    }
    expect(sum).toBe(graph.documents.nodes[0].mentions.totalCount);
  });

  it('Wagner, Moura and Nebenzia are mentioned where the text names them', () => {
    const at = (entity: string) => mentions.filter((m) => m.entity.id === entity).map((m) => m.evidence.exact);
    // "as Wagner, a Russian mercenary corporation": the apposition names Wagner too, and beats "Russian" (Russia) by length.
    expect(at('actor:wagner')).toEqual(['Wagner', 'Russian mercenary corporation']);
    expect(at('place:moura')).toEqual(['Moura']);
    expect(at('person:vassily-nebenzia')).toEqual(['Vassily Nebenzia', 'Nebenzia']);
  });
});
