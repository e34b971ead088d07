/**
 * Ingest and curation through HTTP: a real server on an ephemeral port with a
 * temporary SQLite file, built from the seeds. The expected values come from
 * reading tests/fixtures/bamako-talks.md, not from the extractor's output.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestServer, type TestServer } from '../helpers/test-server.js';

const FIXTURE = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'bamako-talks.md'), 'utf8');
const KEY = 'curator-key-for-tests';
const OTHER_KEY = 'another-key';
const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const AUTH = { authorization: `Bearer ${KEY}` };

const INGEST = `mutation ($input: IngestDocumentInput!) {
  ingestDocument(input: $input) {
    status entitiesMatched mentions statements dates
    entitiesCreated { id name status }
    document { id title url publishedOn source contentHash publisher { name status } }
  }
}`;

const STATEMENTS = `query ($doc: ID!) {
  statements(document: $doc, first: 100) {
    totalCount
    nodes {
      id text attribution kind
      speaker { id name }
      provenance { method confidence extractor }
      evidence { start end exact document { id } }
    }
  }
}`;

/** The text a span covers, counting code points (not UTF-16 units). */
const codePointSlice = (text: string, start: number, end: number): string => [...text].slice(start, end).join('');

describe('ingest and curation over HTTP', () => {
  let server: TestServer;
  let docId: string;
  let body: string;
  const gql = (query: string, variables?: Record<string, unknown>, auth = true) => server.gql(query, variables, auth ? AUTH : {});

  beforeAll(async () => {
    server = await startTestServer({ env: { API_KEYS: `curator:${sha256(KEY)},other:${sha256(OTHER_KEY)}` } });
    body = FIXTURE.slice(FIXTURE.indexOf('\n---\n') + 5);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('refuses a mutation without a key, or with a wrong one: 401 UNAUTHENTICATED, nothing written', async () => {
    for (const headers of [{}, { authorization: 'Bearer not-a-key' }, { authorization: `Basic ${KEY}` }] as Record<string, string>[]) {
      const res = await server.gql(INGEST, { input: { text: FIXTURE } }, headers);
      expect(res.status).toBe(401);
      expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    const { data } = await server.gql('{ documents { totalCount } }');
    expect(data.documents.totalCount).toBe(1); // the seed article only
  });

  it('ingests the fixture with its front matter and links it to known entities', async () => {
    const res = await gql(INGEST, { input: { text: FIXTURE } });
    expect(res.errors).toBeUndefined();
    const r = res.data.ingestDocument;
    expect(r.status).toBe('CREATED');
    docId = r.document.id;
    expect(r.document).toMatchObject({
      title: 'Talks In Bamako Test The Last Weeks Of MINUSMA',
      url: 'https://example.org/news/talks-in-bamako',
      publishedOn: '2023-07-02',
      source: 'INGESTED',
      contentHash: sha256(body),
      // "Sahel Dispatch" is no entity of the seeds: it comes in as a candidate.
      publisher: { name: 'Sahel Dispatch', status: 'CANDIDATE' },
    });
    // Named in the text and unknown to the seeds.
    const created = r.entitiesCreated.map((e: { name: string }) => e.name);
    for (const name of ['Fatoumata Diallo', 'Moussa Coulibaly', 'Amadou Sow']) expect(created).toContain(name);
    expect(r.entitiesCreated.every((e: { status: string }) => e.status === 'CANDIDATE')).toBe(true);
    expect(r.statements).toBe(8);
  });

  it('attributes every quote of the fixture to the right speaker, or to none', async () => {
    const { data } = await gql(STATEMENTS, { doc: docId });
    const got = data.statements.nodes.map((s: { text: string; speaker: { name: string } | null }) => [s.text, s.speaker?.name ?? null]);
    expect(got).toEqual([
      // straight quotes, "said X" with an appositive title after the name
      ['We will not abandon the civilians of the north', 'Fatoumata Diallo'],
      // curly quotes, "X said" with the surname alone
      ['The convoys leave at dawn and nobody knows what happens after that', 'Fatoumata Diallo'],
      // "he told reporters": the pronoun stands for the nearest person before it
      ['I have asked for trucks, for fuel, for anything that moves, and nobody has answered us', 'Moussa Coulibaly'],
      ['The mission was never designed to fight a war', 'El Ghassim Wane'],
      // across two paragraphs, attributed by "he added" after its second part
      [
        'It was designed to protect people while a political process took root.\n\nThat process has stalled, and the people we protected are the ones who will pay',
        'El Ghassim Wane',
      ],
      // a nested quote inside, two sentences, "X said:" before it
      ['Our partners in Bamako told us, ‘We can secure the country ourselves,’ and we believe them. The blue helmets did what they could.', 'Vassily Nebenzia'],
      // "According to X, …"
      ['the junta made its choice long before the vote.', 'Amadou Sow'],
      // a banner "read" it: no speaker rather than a guess
      ['Thank you, blue helmets, and goodbye to all of you', null],
    ]);
    for (const s of data.statements.nodes) {
      expect(s.attribution).toBe('DIRECT_QUOTE');
      expect(s.provenance.method).toBe('AUTOMATIC');
      expect(s.provenance.extractor).toMatch(/^ingest\//);
      expect(s.provenance.confidence).toBeGreaterThan(0);
      expect(s.provenance.confidence).toBeLessThanOrEqual(1);
    }
    // The quote across paragraphs has one evidence span per paragraph (then the attribution).
    const twoPart = data.statements.nodes[4];
    expect(twoPart.evidence.slice(0, 2).map((e: { exact: string }) => e.exact)).toEqual([
      'It was designed to protect people while a political process took root.',
      'That process has stalled, and the people we protected are the ones who will pay',
    ]);
  });

  it('finds "US" the country and not "us" the pronoun, and every span is the code-point slice of the text', async () => {
    const { data } = await gql(
      `query ($doc: ID!) { node(id: $doc) { ... on Document {
        text
        mentions(first: 100) { nodes { entity { id } evidence { start end exact } provenance { method } } }
        dates { date { text precision year month day inferred earliest } evidence { start end exact } provenance { method confidence } }
      } } }`,
      { doc: docId },
    );
    const doc = data.node;
    expect(doc.text).toBe(body);
    const mentions = doc.mentions.nodes;
    expect(mentions.filter((m: { entity: { id: string } }) => m.entity.id === 'actor:us').map((m: { evidence: { exact: string } }) => m.evidence.exact)).toEqual(['US']);
    expect(mentions.some((m: { evidence: { exact: string } }) => m.evidence.exact === 'us')).toBe(false);
    // The text has 🕊 and 𝐏𝐞𝐚𝐜𝐞 (outside the BMP) before most spans: UTF-16 offsets would differ.
    expect(body.length).toBeGreaterThan([...body].length);
    const statements = (await gql(STATEMENTS, { doc: docId })).data.statements.nodes;
    const spans = [
      ...mentions.map((m: { evidence: unknown }) => m.evidence),
      ...doc.dates.map((d: { evidence: unknown }) => d.evidence),
      ...statements.flatMap((s: { evidence: unknown[] }) => s.evidence),
    ] as { start: number; end: number; exact: string }[];
    expect(spans.length).toBeGreaterThan(20);
    for (const s of spans) expect(s.exact).toBe(codePointSlice(body, s.start, s.end));
    // Dates as precise as the text: published Sunday 2 July 2023, so "Friday" is 30 June (inferred).
    expect(doc.dates.map((d: { date: Record<string, unknown> }) => [d.date.text, d.date.precision, d.date.earliest, d.date.inferred])).toEqual([
      ['Friday', 'DAY', '2023-06-30', true],
      ['April 2013', 'MONTH', '2013-04-01', false],
      ['December 31, 2023', 'DAY', '2023-12-31', false],
    ]);
  });

  it('filters by method and minimum confidence, and refuses a confidence outside 0..1', async () => {
    const all = (await gql(`{ statements(method: AUTOMATIC, first: 100) { nodes { provenance { confidence } } } }`)).data.statements.nodes;
    const sure = (await gql(`{ statements(method: AUTOMATIC, minConfidence: 0.8, first: 100) { nodes { provenance { confidence } } } }`)).data
      .statements.nodes;
    expect(sure.length).toBeLessThan(all.length);
    expect(sure.every((s: { provenance: { confidence: number } }) => s.provenance.confidence >= 0.8)).toBe(true);
    const curated = (await gql(`{ statements(method: CURATED, first: 100) { totalCount } }`)).data.statements.totalCount;
    // The seed's curated statements are CURATED (migration), the fixture's are not.
    expect(curated).toBeGreaterThan(0);
    const candidates = (await gql(`{ entities(method: AUTOMATIC, first: 100) { nodes { name status } } }`)).data.entities.nodes;
    expect(candidates.every((e: { status: string }) => e.status === 'CANDIDATE')).toBe(true);
    const bad = await gql(`{ statements(minConfidence: 2) { totalCount } }`);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('changes nothing when the same text is ingested again', async () => {
    const before = (await gql(`{ auditLog(first: 0) { totalCount } statements(first: 0) { totalCount } entities(first: 0) { totalCount } }`)).data;
    const again = await gql(INGEST, { input: { text: FIXTURE } });
    expect(again.data.ingestDocument.status).toBe('UNCHANGED');
    expect(again.data.ingestDocument.document.id).toBe(docId);
    const after = (await gql(`{ auditLog(first: 0) { totalCount } statements(first: 0) { totalCount } entities(first: 0) { totalCount } }`)).data;
    expect(after).toEqual(before);
  });

  it('lets a curator confirm a candidate and correct a statement, recording who did it', async () => {
    const coulibaly = (await gql(`{ entity(name: "Moussa Coulibaly") { id status } }`)).data.entity;
    expect(coulibaly.status).toBe('CANDIDATE');
    const confirmed = await gql(`mutation ($id: ID!) { confirmEntity(id: $id) { id status provenance { method confidence extractor } } }`, { id: coulibaly.id });
    expect(confirmed.data.confirmEntity).toEqual({ id: coulibaly.id, status: 'CONFIRMED', provenance: { method: 'CURATED', confidence: 1, extractor: null } });

    const banner = (await gql(STATEMENTS, { doc: docId })).data.statements.nodes[7];
    const corrected = await server.gql(
      `mutation ($id: ID!) { correctStatement(id: $id, input: { kind: ASSESSMENT }) { id kind speaker { id } provenance { method } } }`,
      { id: banner.id },
      { authorization: `Bearer ${OTHER_KEY}` },
    );
    expect(corrected.errors).toBeUndefined();
    expect(corrected.data.correctStatement).toEqual({ id: banner.id, kind: 'ASSESSMENT', speaker: null, provenance: { method: 'CURATED' } });

    const audit = (await gql(`query ($s: ID!) { auditLog(subject: $s) { nodes { actor action before after } } }`, { s: banner.id })).data.auditLog.nodes;
    expect(audit).toHaveLength(1);
    expect(audit[0].actor).toBe('other');
    expect(audit[0].action).toBe('CORRECT_STATEMENT');
    expect(audit[0].before.statement.kind).toBe('ASSERTION');
    expect(audit[0].before.statement.method).toBe('AUTOMATIC');
    const confirmAudit = (await gql(`query ($s: ID!) { auditLog(subject: $s) { nodes { actor action } } }`, { s: coulibaly.id })).data.auditLog.nodes;
    expect(confirmAudit).toEqual([{ actor: 'curator', action: 'CONFIRM_ENTITY' }]);
  });

  it('replaces the automatic facts of a changed text, keeps curated ones, and drops candidates nothing supports', async () => {
    // Drop the paragraph naming Amadou Sow and Dakar; keep the rest (and the corrected banner quote).
    const changed = FIXTURE.replace(/According to Amadou Sow[^\n]*\n\n/, '');
    expect(changed).not.toBe(FIXTURE);
    const res = await gql(INGEST, { input: { text: changed } });
    expect(res.errors).toBeUndefined();
    expect(res.data.ingestDocument.status).toBe('UPDATED');
    expect(res.data.ingestDocument.document.id).toBe(docId);
    const statements = (await gql(STATEMENTS, { doc: docId })).data.statements.nodes;
    expect(statements.map((s: { text: string }) => s.text)).not.toContain('the junta made its choice long before the vote.');
    // The curated banner statement stayed (moved with its words), and no automatic one duplicates it.
    const banners = statements.filter((s: { text: string }) => s.text === 'Thank you, blue helmets, and goodbye to all of you');
    expect(banners).toHaveLength(1);
    expect(banners[0].provenance.method).toBe('CURATED');
    expect(banners[0].kind).toBe('ASSESSMENT');
    const newBody = changed.slice(changed.indexOf('\n---\n') + 5);
    for (const e of banners[0].evidence) expect(e.exact).toBe(codePointSlice(newBody, e.start, e.end));
    expect(statements).toHaveLength(7);
    // Amadou Sow and Dakar were only in the dropped paragraph.
    for (const name of ['Amadou Sow', 'Dakar']) expect((await gql(`query ($n: String!) { entity(name: $n) { id } }`, { n: name })).data.entity).toBeNull();
  });

  it('merges one entity into another: aliases and mentions move, and the old id resolves to the kept one', async () => {
    const second = `---\ntitle: Convoys Ready\npublishedOn: 2023-07-03\n---\nAminata Maiga, a spokeswoman for MINUSMA, said the convoys were ready. Aminata Maiga travelled north.\n`;
    const ingested = await gql(INGEST, { input: { text: second } });
    expect(ingested.data.ingestDocument.entitiesCreated.map((e: { name: string }) => e.name)).toContain('Aminata Maiga');
    const maiga = (await gql(`{ entity(name: "Aminata Maiga") { id mentionCount } }`)).data.entity;
    expect(maiga.mentionCount).toBe(2);
    const diallo = (await gql(`{ entity(name: "Fatoumata Diallo") { id mentionCount } }`)).data.entity;

    const merged = await gql(`mutation ($from: ID!, $into: ID!) { mergeEntities(from: $from, into: $into) { entity { id name aliases mentionCount } redirected } }`, {
      from: maiga.id,
      into: diallo.id,
    });
    expect(merged.errors).toBeUndefined();
    expect(merged.data.mergeEntities.redirected).toEqual([maiga.id]);
    expect(merged.data.mergeEntities.entity.aliases).toContain('Aminata Maiga');
    expect(merged.data.mergeEntities.entity.mentionCount).toBe(diallo.mentionCount + 2);

    const viaOld = (await gql(`query ($id: ID!) { node(id: $id) { id ... on Person { name } } nodes(ids: [$id]) { id } }`, { id: maiga.id })).data;
    expect(viaOld.node).toEqual({ id: diallo.id, name: 'Fatoumata Diallo' });
    expect(viaOld.nodes).toEqual([{ id: diallo.id }]);
    expect((await gql(`{ entity(name: "Aminata Maiga") { id } }`)).data.entity.id).toBe(diallo.id);

    const audit = (await gql(`query ($s: ID!) { auditLog(subject: $s) { nodes { actor action before after } } }`, { s: maiga.id })).data.auditLog.nodes;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'curator', action: 'MERGE_ENTITIES' });
    expect(audit[0].before.from.name).toBe('Aminata Maiga');
  });

  it('adds a curated statement with a quote checked against the text, and refuses a quote that is not there', async () => {
    const missing = await gql(
      `mutation ($doc: ID!) { addStatement(input: { document: $doc, kind: ASSERTION, attribution: REPORTED, speaker: "person:el-ghassim-wane", evidence: [{ quote: "words that are not in the article" }] }) { id } }`,
      { doc: docId },
    );
    expect(missing.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(missing.errors?.[0]?.message).toMatch(/not in the text/);

    const added = await gql(
      `mutation ($doc: ID!) { addStatement(input: { document: $doc, kind: PREDICTION, attribution: REPORTED, speaker: "person:el-ghassim-wane", about: ["actor:minusma"],
         evidence: [{ quote: "The last flights are due by December 31, 2023." }] }) { id text speaker { id } about { ... on Actor { id } } provenance { method } evidence { exact } } }`,
      { doc: docId },
    );
    expect(added.errors).toBeUndefined();
    expect(added.data.addStatement).toMatchObject({
      text: 'The last flights are due by December 31, 2023.',
      speaker: { id: 'person:el-ghassim-wane' },
      about: [{ id: 'actor:minusma' }],
      provenance: { method: 'CURATED' },
    });
  });

  it('rejects a candidate: it goes, and ingest does not propose its name again', async () => {
    const gao = (await gql(`{ entity(name: "Gao") { id } }`)).data.entity;
    expect(gao).not.toBeNull();
    const rejected = await gql(`mutation ($id: ID!) { rejectEntity(id: $id) { id rejectedNames } }`, { id: gao.id });
    expect(rejected.data.rejectEntity.rejectedNames).toContain('Gao');
    const third = await gql(INGEST, { input: { text: 'The mayor of Gao, Moussa Coulibaly, said the road to Gao was open.', title: 'Road open' } });
    expect(third.errors).toBeUndefined();
    expect((await gql(`{ entity(name: "Gao") { id } }`)).data.entity).toBeNull();
  });

  it('deletes a document with its facts and the candidates nothing else supports', async () => {
    const before = (await gql(`{ entity(name: "MINUSMA") { mentionCount } }`)).data.entity.mentionCount;
    const res = await gql(`mutation ($id: ID!) { deleteDocument(id: $id) { id entitiesRemoved factsRemoved } }`, { id: docId });
    expect(res.errors).toBeUndefined();
    expect(res.data.deleteDocument.id).toBe(docId);
    expect((await gql(`query ($id: ID!) { node(id: $id) { id } }`, { id: docId })).data.node).toBeNull();
    expect((await gql(STATEMENTS, { doc: docId })).data.statements.totalCount).toBe(0);
    // The fixture names MINUSMA three times (title, first paragraph, "the head of MINUSMA").
    expect((await gql(`{ entity(name: "MINUSMA") { mentionCount } }`)).data.entity.mentionCount).toBe(before - 3 - 2);
    // Only the fixture supported the publisher candidate; Coulibaly was confirmed by a curator, so he stays;
    // Fatoumata Diallo keeps the merged mentions from "Convoys Ready".
    expect((await gql(`{ entity(name: "Sahel Dispatch") { id } }`)).data.entity).toBeNull();
    expect((await gql(`{ entity(name: "Moussa Coulibaly") { id } }`)).data.entity).not.toBeNull();
    expect((await gql(`{ entity(name: "Fatoumata Diallo") { mentionCount } }`)).data.entity.mentionCount).toBe(2);
    const audit = (await gql(`query ($s: ID!) { auditLog(subject: $s, actor: "curator") { nodes { action after } } }`, { s: docId })).data.auditLog.nodes;
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['INGEST_DOCUMENT', 'INGEST_DOCUMENT', 'DELETE_DOCUMENT']);
  });

  it('refuses to delete a seed document', async () => {
    const res = await gql(`mutation { deleteDocument(id: "document:mali-asks-un-to-end-peacekeeping-mission") { id } }`);
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await gql(`{ documents { totalCount } }`)).data.documents.totalCount).toBeGreaterThanOrEqual(1);
  });
});
