/**
 * A small fixture graph served over HTTP: `occurrence` and `within` pick the
 * right span, offsets count code points even after characters outside the
 * Basic Multilingual Plane, and builds are transactional and skipped when the
 * seeds have not changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { BuildError } from '../../src/build/build-error.js';
import { buildGraph } from '../../src/build/build-graph.js';
import { compileSeeds } from '../../src/build/compile-seeds.js';
import { codePointIndexOf, codePointSlice, spanProblems } from '../helpers/code-points.js';
import {
  createSeedFixture,
  FIXTURE_DOCUMENT_ID,
  FIXTURE_TEXT,
  fixtureAnnotation,
  removeSeedFixture,
  writeSeedFixture,
} from '../helpers/seed-fixture.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const EVIDENCE = 'evidence { start end exact prefix suffix document { id } }';

/** Code point offset of the n-th (1-based) occurrence of `needle` in the fixture text, worked out here. */
function nth(needle: string, n: number): number {
  let at = -1;
  for (let i = 0; i < n; i++) at = codePointIndexOf(FIXTURE_TEXT, needle, at + 1);
  return at;
}

let server: TestServer;
let seeds: string;

beforeAll(async () => {
  seeds = createSeedFixture();
  // It reads every fact in a few large queries: lift the cost limit meant for clients.
  server = await startTestServer({ seedsDir: seeds, env: { MAX_COST: '10000000' } });
});
afterAll(async () => {
  await server?.stop();
  removeSeedFixture(seeds);
});

describe('the fixture text has astral characters before its spans', () => {
  it('so UTF-16 indexes and code point offsets differ (a premise of the tests below)', () => {
    expect(FIXTURE_TEXT.length).toBeGreaterThan(Array.from(FIXTURE_TEXT).length);
    expect(FIXTURE_TEXT.indexOf('Harbour Gazette')).not.toBe(nth('Harbour Gazette', 1));
  });

  it('Document.length counts code points', async () => {
    const { node } = await server.data(`{ node(id: "${FIXTURE_DOCUMENT_ID}") { ... on Document { text length } } }`);
    expect(node.text).toBe(FIXTURE_TEXT);
    expect(node.length).toBe(Array.from(FIXTURE_TEXT).length);
  });
});

describe('occurrence and within pick the span they name', () => {
  it('`occurrence: 1` and `within` on the River Council’s evidence', async () => {
    const { node } = await server.data(`{ node(id: "actor:river-council") { ... on Actor { ${EVIDENCE} } } }`);
    const [first, second] = node.evidence;
    expect(first.exact).toBe('River Council');
    expect(first.start).toBe(nth('River Council', 1));
    expect(second.exact).toBe('River Council');
    // `within: "The River Council 🌉 promised"` is the second occurrence.
    expect(second.start).toBe(nth('River Council', 2));
    expect(second.suffix.startsWith(' 🌉 promised')).toBe(true);
    expect(second.end - second.start).toBe('River Council'.length);
  });

  it('`occurrence: 2` on a participant’s evidence', async () => {
    const { node } = await server.data(
      `{ node(id: "event:funding-promise") { ... on Event { participants { entity { id } ${EVIDENCE} } } } }`,
    );
    expect(node.participants).toHaveLength(1);
    expect(node.participants[0].evidence[0].start).toBe(nth('River Council', 2));
  });
});

describe('evidence offsets count code points', () => {
  it('every span of every fact satisfies exact === codePoints(text)[start, end)', async () => {
    const data = await server.data(`{
      entities(first: 100) { nodes { id name aliases ${EVIDENCE} mentions(first: 100) { nodes { ${EVIDENCE} } } } }
      events(first: 100) { nodes { id ${EVIDENCE} participants { ${EVIDENCE} } } }
      statements(first: 100) { nodes { id text direct ${EVIDENCE} } }
      relationships(first: 100) { nodes { id ${EVIDENCE} } }
      documents { nodes { id mentions(first: 100) { nodes { id entity { id } ${EVIDENCE} } } } }
    }`);
    const spans = [
      ...data.entities.nodes.flatMap((e: any) => [...e.evidence, ...e.mentions.nodes.map((m: any) => m.evidence)]),
      ...data.events.nodes.flatMap((e: any) => [...e.evidence, ...e.participants.flatMap((p: any) => p.evidence)]),
      ...data.statements.nodes.flatMap((s: any) => s.evidence),
      ...data.relationships.nodes.flatMap((r: any) => r.evidence),
      ...data.documents.nodes.flatMap((d: any) => d.mentions.nodes.map((m: any) => m.evidence)),
    ];
    expect(spans.length).toBeGreaterThan(20);
    for (const span of spans) {
      expect(span.document.id).toBe(FIXTURE_DOCUMENT_ID);
      expect(spanProblems(FIXTURE_TEXT, span), JSON.stringify(span)).toEqual([]);
      // Read as UTF-16 indexes the same offsets would give other text: the astral characters shift them.
      if (span.start > 0) expect(FIXTURE_TEXT.slice(span.start, span.end)).not.toBe(span.exact);
    }
  });

  it('a span after three astral characters starts three code points before its UTF-16 index', async () => {
    const { node } = await server.data(`{ node(id: "relationship:mayor-of-rivertown--leads--rivertown") { ... on Relationship { ${EVIDENCE} } } }`);
    const utf16 = FIXTURE_TEXT.indexOf('the Mayor leads Rivertown');
    // 𝔐𝔞𝔩𝔦 (4) + 🙂 (1) + 🙂🙂 (2) + 🌉 (1) are astral before this span: 8 code points fewer.
    expect(node.evidence[0].start).toBe(utf16 - 8);
    expect(codePointSlice(FIXTURE_TEXT, node.evidence[0].start, node.evidence[0].end)).toBe('the Mayor leads Rivertown');
  });

  it('mentions are found between astral characters, at code point offsets', async () => {
    const { node } = await server.data(`{ node(id: "${FIXTURE_DOCUMENT_ID}") { ... on Document { mentions(first: 100) { totalCount nodes { id entity { id } evidence { start end exact } } } } } }`);
    const got = node.mentions.nodes.map((m: any) => [m.entity.id, m.evidence.exact, m.evidence.start]);
    // Worked out by hand from the text: leftmost-longest, so "Mayor of Rivertown" hides its "Rivertown".
    expect(got).toEqual([
      ['actor:harbour-gazette', 'Harbour Gazette', nth('Harbour Gazette', 1)],
      ['actor:river-council', 'River Council', nth('River Council', 1)],
      ['person:mayor-of-rivertown', 'Mayor of Rivertown', nth('Mayor of Rivertown', 1)],
      ['person:mayor-of-rivertown', 'Mayor', nth('Mayor', 2)],
      ['actor:river-council', 'River Council', nth('River Council', 2)],
      ['place:rivertown', 'Rivertown', nth('Rivertown', 2)],
      ['person:mayor-of-rivertown', 'Mayor', nth('Mayor', 3)],
      ['place:rivertown', 'Rivertown', nth('Rivertown', 3)],
    ]);
    expect(node.mentions.totalCount).toBe(8);
    for (const m of node.mentions.nodes) expect(m.id).toBe(`mention:fixture:${m.evidence.start}`);
  });

  it('a direct quote’s text is verbatim and its dates keep their precision', async () => {
    const data = await server.data(`{
      statements(attribution: DIRECT_QUOTE) { nodes { text direct speaker { name } occasion { id } } }
      events { nodes { id date { text precision year month day inferred inferredFrom earliest latest } } }
    }`);
    expect(data.statements.nodes).toEqual([
      { text: 'We will build the bridge,', direct: true, speaker: { name: 'Mayor of Rivertown' }, occasion: { id: 'event:council-meeting' } },
    ]);
    expect(data.events.nodes).toEqual([
      {
        id: 'event:council-meeting',
        date: { text: 'May 2021', precision: 'MONTH', year: 2021, month: 5, day: null, inferred: false, inferredFrom: null, earliest: '2021-05-01', latest: '2021-05-31' },
      },
      {
        id: 'event:funding-promise',
        date: {
          text: 'June 3rd', precision: 'DAY', year: 2021, month: 6, day: 3, inferred: true,
          inferredFrom: 'The meeting in May 2021 comes first.', earliest: '2021-06-03', latest: '2021-06-03',
        },
      },
    ]);
  });
});

describe('builds are transactional and skipped when nothing changed', () => {
  it('a second build with unchanged seeds returns built: false', async () => {
    expect(server.build?.built).toBe(true);
    const again = await buildGraph(server.store, seeds);
    expect(again.built).toBe(false);
    expect(again.fingerprint).toBe(server.build?.fingerprint);
  });

  it('a failed build leaves the previous graph in the store, served as before', async () => {
    const before = await server.data('{ entities { totalCount nodes { id name } } }');
    const broken = fixtureAnnotation();
    broken.entities.push({ id: 'place:harbour', type: 'PLACE', kind: 'SETTLEMENT', name: 'Harbour', description: 'x', evidence: ['Harbour'] });
    broken.relationships[0].evidence = ['the Mayor leads the Harbour'];
    writeSeedFixture(seeds, { annotation: broken });
    try {
      await expect(buildGraph(server.store, seeds)).rejects.toBeInstanceOf(BuildError);
      expect(await server.data('{ entities { totalCount nodes { id name } } }')).toEqual(before);
      expect(await server.store.seedFingerprint()).toBe(server.build?.fingerprint);
    } finally {
      writeSeedFixture(seeds);
    }
    expect((await buildGraph(server.store, seeds)).built).toBe(false);
  });

  it('a write that fails half-way rolls back to the previous graph', async () => {
    const before = await server.data('{ entities { totalCount nodes { id name } } relationships { totalCount } }');
    const { data } = compileSeeds(seeds);
    // Two rows with one primary key: the insert fails after the old rows were deleted.
    const bad = { ...data, entities: [...data.entities, { ...data.entities[0]!, name: 'Duplicate' }], relationships: [] };
    await expect(server.store.replaceGraph(bad, 'bad-fingerprint')).rejects.toThrow();
    expect(await server.data('{ entities { totalCount nodes { id name } } relationships { totalCount } }')).toEqual(before);
    expect(await server.store.seedFingerprint()).toBe(server.build?.fingerprint);
  });

  it('changed seeds are rebuilt and served', async () => {
    const changed = fixtureAnnotation();
    changed.entities[2].description = 'A town on the river, led by its Mayor.';
    writeSeedFixture(seeds, { annotation: changed });
    try {
      const result = await buildGraph(server.store, seeds);
      expect(result.built).toBe(true);
      expect(result.fingerprint).not.toBe(server.build?.fingerprint);
      const { node } = await server.data('{ node(id: "place:rivertown") { ... on Place { description } } }');
      expect(node.description).toBe('A town on the river, led by its Mayor.');
    } finally {
      writeSeedFixture(seeds);
      await buildGraph(server.store, seeds);
    }
  });
});
