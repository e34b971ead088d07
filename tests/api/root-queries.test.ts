/**
 * Every root query over HTTP, with expectations taken from the article.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ARTICLE_ID, ARTICLE_TEXT, QUOTED_PASSAGES } from '../helpers/article.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const ids = (connection: { nodes: { id: string }[] }) => connection.nodes.map((n) => n.id);
const names = (connection: { nodes: { name: string }[] }) => connection.nodes.map((n) => n.name);

const DATE = 'date { text year month day precision inferred inferredFrom earliest latest }';

describe('node and nodes', () => {
  it.each([
    ['actor:minusma', 'Actor'],
    ['person:el-ghassim-wane', 'Person'],
    ['place:moura', 'Place'],
    ['event:moura-massacre', 'Event'],
    ['statement:el-ghassim-wane-consent', 'Statement'],
    ['relationship:el-ghassim-wane--leads--minusma', 'Relationship'],
    [ARTICLE_ID, 'Document'],
  ])('node(id: %j) is a %s with that id', async (id, typename) => {
    const { node } = await server.data('query ($id: ID!) { node(id: $id) { __typename id } }', { id });
    expect(node).toEqual({ __typename: typename, id });
  });

  it('node finds a mention by the id its connection gives', async () => {
    const { entity } = await server.data('{ entity(name: "Moura") { mentions(first: 1) { nodes { id } } } }');
    const id = entity.mentions.nodes[0].id;
    const { node } = await server.data(`{ node(id: "${id}") { __typename id ... on Mention { entity { id } evidence { exact } } } }`);
    expect(node).toEqual({ __typename: 'Mention', id, entity: { id: 'place:moura' }, evidence: { exact: 'Moura' } });
  });

  it('nodes(ids:) answers several types at once, in order', async () => {
    const { nodes } = await server.data(
      '{ nodes(ids: ["event:moura-massacre", "actor:wagner", "actor:nowhere", "person:vassily-nebenzia"]) { __typename id } }',
    );
    expect(nodes).toEqual([
      { __typename: 'Event', id: 'event:moura-massacre' },
      { __typename: 'Actor', id: 'actor:wagner' },
      null,
      { __typename: 'Person', id: 'person:vassily-nebenzia' },
    ]);
  });

  it('nodes(ids:) refuses more than 100 ids', async () => {
    const many = Array.from({ length: 101 }, (_, i) => `actor:x${i}`);
    const { errors, status } = await server.gql('query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: many });
    expect(status).toBeLessThan(500);
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('entities', () => {
  it('has every actor the article names, with its kind', async () => {
    const expected: [string, string][] = [
      ['Mali', 'STATE'],
      ['UN', 'INTERGOVERNMENTAL_ORGANIZATION'],
      ['MINUSMA', 'PEACEKEEPING_MISSION'],
      ['Russia', 'STATE'],
      ['Wagner', 'PRIVATE_MILITARY_COMPANY'],
      ['military junta', 'GOVERNMENT'],
      ['Malian troops', 'ARMED_FORCES'],
      ['Malian citizens', 'POPULATION_GROUP'],
      ['terrorist organisations', 'TERRORIST_ORGANIZATION'],
      ['Al-Quaeda', 'TERRORIST_ORGANIZATION'],
      ['ISIL', 'TERRORIST_ORGANIZATION'],
      ['Western European nations', 'GROUP_OF_STATES'],
      ['US', 'STATE'],
      ['rebels', 'REBEL_GROUP'],
      ['OWP', 'MEDIA_ORGANIZATION'],
    ];
    for (const [name, kind] of expected) {
      const { entity } = await server.data('query ($n: String!) { entity(name: $n) { __typename ... on Actor { kind } } }', { n: name });
      expect(entity, name).toEqual({ __typename: 'Actor', kind });
    }
  });

  it('type: PERSON gives exactly the two people the article names, with their titles', async () => {
    const { entities } = await server.data('{ entities(type: PERSON) { totalCount nodes { __typename id name ... on Person { title } } } }');
    expect(entities.nodes).toEqual([
      { __typename: 'Person', id: 'person:el-ghassim-wane', name: 'El Ghassim Wane', title: 'head of MINUSMA' },
      { __typename: 'Person', id: 'person:vassily-nebenzia', name: 'Vassily Nebenzia', title: 'Russian UN ambassador' },
    ]);
    expect(entities.totalCount).toBe(2);
  });

  it('type: PLACE gives places only, among them those the article names', async () => {
    const { entities } = await server.data('{ entities(type: PLACE, first: 100) { totalCount nodes { __typename name } } }');
    expect(new Set(entities.nodes.map((n: any) => n.__typename))).toEqual(new Set(['Place']));
    expect(names(entities)).toEqual(expect.arrayContaining(['Northern Mali', 'Moura', 'Sahel', 'Middle East']));
    expect(entities.totalCount).toBe(entities.nodes.length);
  });

  it('kind: STATE gives the three states: Mali, Russia and the US', async () => {
    const { entities } = await server.data('{ entities(kind: STATE) { totalCount nodes { id ... on Actor { kind } } } }');
    expect(ids(entities)).toEqual(['actor:mali', 'actor:russia', 'actor:us']);
    expect(entities.totalCount).toBe(3);
  });

  it.each([
    ['PEACEKEEPING_MISSION', ['actor:minusma']],
    ['PRIVATE_MILITARY_COMPANY', ['actor:wagner']],
    ['MEDIA_ORGANIZATION', ['actor:owp']],
    ['INTERGOVERNMENTAL_ORGANIZATION', ['actor:un']],
    ['GOVERNMENT', ['actor:mali-interim-military-government']],
    ['ARMED_FORCES', ['actor:malian-troops']],
  ])('kind: %s', async (kind, expected) => {
    const { entities } = await server.data(`{ entities(kind: ${kind}) { nodes { id } } }`);
    expect(ids(entities)).toEqual(expected);
  });

  it('placeKind: SETTLEMENT gives Moura', async () => {
    const { entities } = await server.data('{ entities(placeKind: SETTLEMENT) { nodes { id ... on Place { kind } } } }');
    expect(entities.nodes).toEqual([{ id: 'place:moura', kind: 'SETTLEMENT' }]);
  });

  it('filters compose: a type and a kind of another type match nothing', async () => {
    const data = await server.data(`{
      personStates: entities(type: PERSON, kind: STATE) { totalCount nodes { id } }
      placeStates: entities(type: PLACE, kind: STATE) { totalCount nodes { id } }
      actorSettlements: entities(type: ACTOR, placeKind: SETTLEMENT) { totalCount nodes { id } }
      actorStates: entities(type: ACTOR, kind: STATE) { totalCount }
    }`);
    expect(data.personStates).toEqual({ totalCount: 0, nodes: [] });
    expect(data.placeStates).toEqual({ totalCount: 0, nodes: [] });
    expect(data.actorSettlements).toEqual({ totalCount: 0, nodes: [] });
    expect(data.actorStates.totalCount).toBe(3);
  });

  it('are ordered by name, ignoring case', async () => {
    const { entities } = await server.data('{ entities(first: 100) { totalCount nodes { name } } }');
    const got = names(entities);
    const sorted = [...got].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base', ignorePunctuation: true }));
    expect(got).toEqual(sorted);
    expect(entities.totalCount).toBe(got.length);
  });

  it('an entity’s page: aliases, evidence, relationships, statements by and about, events, mentions', async () => {
    const { entity } = await server.data(`{
      entity(name: "MINUSMA") {
        id name aliases aliasDetails { name source } description mentionCount
        evidence { exact }
        relationships(first: 100) { totalCount nodes { type source { id } target { id } } }
        outgoing: relationships(direction: OUTGOING, first: 100) { nodes { source { id } } }
        incoming: relationships(direction: INCOMING, first: 100) { nodes { target { id } } }
        statementsBy(first: 100) { nodes { id kind speaker { id } } }
        statementsAbout(first: 100) { nodes { id about { ... on Node { id } } } }
        accusations: statementsBy(kind: ACCUSATION) { nodes { id } }
        events(first: 100) { nodes { id participants { entity { id } } } }
        mentions(first: 100) { totalCount nodes { evidence { exact } } }
      }
    }`);
    expect(entity.id).toBe('actor:minusma');
    // "the UN mission referred to as MINUSMA", "UN peacekeepers", "the blue helmets"
    expect(entity.aliases).toEqual(expect.arrayContaining(['UN mission', 'UN peacekeepers', 'blue helmets']));
    expect(entity.aliasDetails).toContainEqual({ name: 'blue helmets', source: 'TEXT' });
    expect(entity.aliasDetails).toContainEqual({ name: 'United Nations Multidimensional Integrated Stabilization Mission in Mali', source: 'COMMON' });
    for (const alias of entity.aliasDetails) {
      expect(ARTICLE_TEXT.includes(alias.name), alias.name).toBe(alias.source === 'TEXT');
    }
    expect(entity.evidence.map((e: any) => e.exact)).toContain('The head of MINUSMA, El Ghassim Wane');
    // "The head of MINUSMA, El Ghassim Wane": Wane LEADS MINUSMA; "the UN mission referred to as MINUSMA": PART_OF the UN.
    expect(entity.relationships.nodes).toContainEqual({ type: 'LEADS', source: { id: 'person:el-ghassim-wane' }, target: { id: 'actor:minusma' } });
    expect(entity.relationships.nodes).toContainEqual({ type: 'PART_OF', source: { id: 'actor:minusma' }, target: { id: 'actor:un' } });
    for (const r of entity.relationships.nodes) expect([r.source.id, r.target.id]).toContain('actor:minusma');
    for (const r of entity.outgoing.nodes) expect(r.source.id).toBe('actor:minusma');
    for (const r of entity.incoming.nodes) expect(r.target.id).toBe('actor:minusma');
    expect(entity.outgoing.nodes.length + entity.incoming.nodes.length).toBe(entity.relationships.totalCount);
    // "Wagner ... was called out by MINUSMA for partaking in the Moura massacre"
    expect(entity.accusations.nodes.map((s: any) => s.id)).toContain('statement:minusma-wagner-moura-accusation');
    for (const s of entity.statementsBy.nodes) expect(s.speaker.id).toBe('actor:minusma');
    for (const s of entity.statementsAbout.nodes) expect(s.about.map((a: any) => a.id)).toContain('actor:minusma');
    expect(entity.statementsAbout.nodes.map((s: any) => s.id)).toContain('statement:el-ghassim-wane-consent');
    expect(entity.events.nodes.map((e: any) => e.id)).toContain('event:moura-massacre');
    for (const e of entity.events.nodes) expect(e.participants.map((p: any) => p.entity.id)).toContain('actor:minusma');
    // "MINUSMA" is written 6 times in the text ("referred to as MINUSMA", "The head of MINUSMA", "called out by
    // MINUSMA", "While MINUSMA is not", "MINUSMA has been effective", "While MINUSMA will"); each is a mention.
    expect(ARTICLE_TEXT.split('MINUSMA').length - 1).toBe(6);
    expect(entity.mentions.nodes.filter((m: any) => m.evidence.exact === 'MINUSMA')).toHaveLength(6);
    expect(entity.mentionCount).toBe(entity.mentions.totalCount);
  });
});

describe('events', () => {
  it('are in chronological order, undated last, and no date is padded', async () => {
    const { events } = await server.data(`{ events(first: 100) { totalCount nodes { id name kind ${DATE} } } }`);
    expect(events.totalCount).toBe(events.nodes.length);
    const dated = events.nodes.filter((e: any) => e.date);
    const undated = events.nodes.filter((e: any) => !e.date);
    expect(events.nodes).toEqual([...dated, ...undated]);
    // 2013 rebellion, 2020 coups, March 2022 Moura massacre, June 30th deadline.
    expect(dated.map((e: any) => e.date.text)).toEqual(['2013', '2020', 'March 2022', 'June 30th']);
    for (const { date } of dated) {
      expect(ARTICLE_TEXT).toContain(date.text);
      const monthEnd = date.month ? new Date(Date.UTC(date.year, date.month, 0)).getUTCDate() : 31;
      const pad = (n: number) => String(n).padStart(2, '0');
      switch (date.precision) {
        case 'YEAR':
          expect(date.text).toMatch(/^\d{4}$/);
          expect([date.month, date.day]).toEqual([null, null]);
          expect([date.earliest, date.latest]).toEqual([`${date.year}-01-01`, `${date.year}-12-31`]);
          break;
        case 'MONTH':
          expect(date.day).toBeNull();
          expect([date.earliest, date.latest]).toEqual([`${date.year}-${pad(date.month)}-01`, `${date.year}-${pad(date.month)}-${pad(monthEnd)}`]);
          break;
        case 'DAY':
          expect(date.earliest).toBe(`${date.year}-${pad(date.month)}-${pad(date.day)}`);
          expect(date.latest).toBe(date.earliest);
          break;
        default:
          throw new Error(`unknown precision ${date.precision}`);
      }
      // Inferred exactly when the text does not state the year, and then it says why.
      expect(date.inferred).toBe(!date.text.includes(String(date.year)));
      expect(date.inferredFrom !== null).toBe(date.inferred);
    }
  });

  it('the Moura massacre: March 2022, a month, stated; at Moura; Wagner accused by MINUSMA', async () => {
    const { node } = await server.data(`{ node(id: "event:moura-massacre") { ... on Event {
      name kind ${DATE} place { id name } participants { role entity { id } } evidence { exact } statements { nodes { id } } } } }`);
    expect(node.kind).toBe('MASSACRE');
    expect(node.date).toEqual({
      text: 'March 2022', year: 2022, month: 3, day: null, precision: 'MONTH',
      inferred: false, inferredFrom: null, earliest: '2022-03-01', latest: '2022-03-31',
    });
    expect(node.place).toEqual({ id: 'place:moura', name: 'Moura' });
    expect(node.participants).toEqual(expect.arrayContaining([
      { role: 'ACCUSED', entity: { id: 'actor:wagner' } },
      { role: 'ACCUSER', entity: { id: 'actor:minusma' } },
    ]));
    expect(node.evidence.map((e: any) => e.exact)).toContain('the Moura massacre in March 2022');
    expect(node.statements.nodes.map((s: any) => s.id)).toContain('statement:minusma-wagner-moura-accusation');
  });

  it('the UN’s deadline: "June 30th", a day whose year is inferred, with what from', async () => {
    const { node } = await server.data(`{ node(id: "event:un-decision-deadline") { ... on Event { ${DATE} participants { role entity { id } } } } }`);
    const { date } = node;
    expect(date).toMatchObject({ text: 'June 30th', month: 6, day: 30, precision: 'DAY', inferred: true });
    expect(date.inferredFrom).toEqual(expect.any(String));
    expect(date.inferredFrom.length).toBeGreaterThan(20);
    expect(date.earliest).toBe(`${date.year}-06-30`);
    expect(date.latest).toBe(date.earliest);
    // "The UN has until June 30th to finalize its decision"
    expect(node.participants).toContainEqual({ role: 'DECISION_MAKER', entity: { id: 'actor:un' } });
  });

  it('the 2013 rebellion is dated by its year only', async () => {
    const { node } = await server.data(`{ node(id: "event:2013-rebellion") { ... on Event { kind ${DATE} } } }`);
    expect(node).toEqual({
      kind: 'REBELLION',
      date: { text: '2013', year: 2013, month: null, day: null, precision: 'YEAR', inferred: false, inferredFrom: null, earliest: '2013-01-01', latest: '2013-12-31' },
    });
  });

  it.each([
    // [from, to, dated events whose range overlaps [from, to]]
    ['2022-03-15', '2022-03-15', ['event:moura-massacre']], // inside March 2022
    ['2022-03-31', '2022-04-30', ['event:moura-massacre']], // last day of March
    ['2022-04-01', '2022-12-31', []], // after March, before the deadline
    ['2020-06-01', '2020-06-30', ['event:2020-coups']], // a month inside the year 2020
    ['2013-12-31', '2020-01-01', ['event:2013-rebellion', 'event:2020-coups']], // both edges inclusive
    [null, '2013-12-31', ['event:2013-rebellion']],
    [null, '2012-12-31', []],
    ['2022-04-01', null, ['event:un-decision-deadline']],
    ['2000-01-01', null, ['event:2013-rebellion', 'event:2020-coups', 'event:moura-massacre', 'event:un-decision-deadline']],
  ])('from %s to %s overlaps %j', async (from, to, expected) => {
    const { events } = await server.data('query ($from: LocalDate, $to: LocalDate) { events(from: $from, to: $to, first: 100) { totalCount nodes { id } } }', { from, to });
    expect(ids(events)).toEqual(expected);
    expect(events.totalCount).toBe(expected.length);
  });

  it('from after to is a BAD_USER_INPUT error', async () => {
    const { errors, status } = await server.gql('{ events(from: "2023-01-01", to: "2022-01-01") { totalCount } }');
    expect(status).toBeLessThan(500);
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('a date that is not a calendar day is refused', async () => {
    const { errors, status } = await server.gql('{ events(from: "2022-02-30") { totalCount } }');
    expect(status).toBe(400);
    expect(errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('participant: Wagner takes part in the Moura massacre', async () => {
    const { events } = await server.data('{ events(participant: "actor:wagner", first: 100) { totalCount nodes { id participants { entity { id } } } } }');
    expect(ids(events)).toContain('event:moura-massacre');
    for (const e of events.nodes) expect(e.participants.map((p: any) => p.entity.id)).toContain('actor:wagner');
    expect(events.totalCount).toBe(events.nodes.length);
  });

  it('participant combines with a date range', async () => {
    const { events } = await server.data('{ events(participant: "actor:wagner", from: "2022-01-01", to: "2022-12-31") { nodes { id } } }');
    expect(ids(events)).toEqual(['event:moura-massacre']);
  });

  it('kind: MASSACRE is the Moura massacre; kind: MEETING the meeting with UN officials', async () => {
    const data = await server.data('{ m: events(kind: MASSACRE) { nodes { id } } meeting: events(kind: MEETING) { nodes { id name statements { nodes { id direct } } } } }');
    expect(ids(data.m)).toEqual(['event:moura-massacre']);
    expect(ids(data.meeting)).toEqual(['event:meeting-with-un-officials']);
    // Both quotes were said at the meeting ("said at the same meeting").
    expect(data.meeting.nodes[0].statements.nodes).toEqual(expect.arrayContaining([
      { id: 'statement:el-ghassim-wane-consent', direct: true },
      { id: 'statement:vassily-nebenzia-peacekeeper-functions', direct: true },
    ]));
  });

  it('an unknown participant gives an empty list', async () => {
    const { events } = await server.data('{ events(participant: "actor:atlantis") { totalCount nodes { id } } }');
    expect(events).toEqual({ totalCount: 0, nodes: [] });
  });
});

describe('statements', () => {
  const STATEMENT = 'id kind text direct attribution speaker { id name } about { __typename ... on Node { id } } occasion { id } document { id } evidence { start exact }';

  it('El Ghassim Wane’s quote is verbatim, direct, said at the meeting', async () => {
    const { statements } = await server.data(`{ statements(speaker: "person:el-ghassim-wane") { nodes { ${STATEMENT} } } }`);
    const quote = statements.nodes.find((s: any) => s.direct);
    expect(quote).toMatchObject({
      text: 'absent that consent, of course, operations are nearly impossible',
      direct: true,
      attribution: 'DIRECT_QUOTE',
      speaker: { id: 'person:el-ghassim-wane', name: 'El Ghassim Wane' },
      occasion: { id: 'event:meeting-with-un-officials' },
      document: { id: ARTICLE_ID },
    });
    expect(quote.evidence.map((e: any) => e.exact)).toContain(quote.text);
    for (const s of statements.nodes) expect(s.speaker.id).toBe('person:el-ghassim-wane');
  });

  it('Vassily Nebenzia’s quote is verbatim and direct', async () => {
    const { statements } = await server.data(`{ statements(speaker: "person:vassily-nebenzia", attribution: DIRECT_QUOTE) { nodes { ${STATEMENT} } } }`);
    expect(statements.nodes).toHaveLength(1);
    expect(statements.nodes[0].text).toBe(
      'The real issue is not the number of peacekeepers but the functions, and one of the key tasks for the government of Mali is fighting terrorism, which is not provided for in the mandate of the blue helmets',
    );
    expect(statements.nodes[0].speaker.name).toBe('Vassily Nebenzia');
  });

  it('the direct quotes are exactly the passages in quotation marks', async () => {
    const { statements } = await server.data(`{ statements(attribution: DIRECT_QUOTE, first: 100) { totalCount nodes { text direct } } }`);
    expect(QUOTED_PASSAGES).toHaveLength(2);
    expect(statements.nodes.map((s: any) => s.text)).toEqual(QUOTED_PASSAGES);
    expect(statements.totalCount).toBe(2);
    for (const s of statements.nodes) expect(s.direct).toBe(true);
  });

  it('editorial statements are the publisher’s (OWP), never direct', async () => {
    const { statements } = await server.data(`{ statements(attribution: EDITORIAL, first: 100) { totalCount nodes { ${STATEMENT} } } }`);
    expect(statements.totalCount).toBeGreaterThan(5);
    for (const s of statements.nodes) {
      expect(s.speaker.id).toBe('actor:owp');
      expect(s.direct).toBe(false);
    }
    // "It is important to know that the US’s post-9/11 approach was ineffective" is the article's own opinion.
    expect(statements.nodes.some((s: any) => s.text.includes('post-9/11 approach was ineffective'))).toBe(true);
  });

  it('reported statements use the document’s words and are not direct', async () => {
    const { statements } = await server.data(`{ statements(attribution: REPORTED, first: 100) { nodes { ${STATEMENT} } } }`);
    expect(statements.nodes.length).toBeGreaterThan(0);
    for (const s of statements.nodes) {
      expect(s.direct).toBe(false);
      expect(ARTICLE_TEXT).toContain(s.text);
      expect(s.speaker.id).not.toBe('actor:owp');
    }
  });

  it('about: Wagner; kind: ACCUSATION includes MINUSMA’s calling out of Wagner', async () => {
    const data = await server.data(`{
      about: statements(about: "actor:wagner", first: 100) { nodes { ${STATEMENT} } }
      accusations: statements(kind: ACCUSATION, first: 100) { nodes { ${STATEMENT} } }
    }`);
    for (const s of data.about.nodes) expect(s.about.map((a: any) => a.id)).toContain('actor:wagner');
    for (const s of data.accusations.nodes) expect(s.kind).toBe('ACCUSATION');
    const callout = data.accusations.nodes.find((s: any) => s.id === 'statement:minusma-wagner-moura-accusation');
    expect(callout).toMatchObject({ speaker: { id: 'actor:minusma' }, direct: false });
    expect(callout.about).toEqual(expect.arrayContaining([{ __typename: 'Actor', id: 'actor:wagner' }, { __typename: 'Event', id: 'event:moura-massacre' }]));
    expect(data.about.nodes.map((s: any) => s.id)).toContain(callout.id);
  });

  it('about: an event', async () => {
    const { statements } = await server.data(`{ statements(about: "event:moura-massacre") { nodes { about { ... on Node { id } } } } }`);
    expect(statements.nodes.length).toBeGreaterThan(0);
    for (const s of statements.nodes) expect(s.about.map((a: any) => a.id)).toContain('event:moura-massacre');
  });

  it('filters compose (speaker and kind and attribution)', async () => {
    const { statements } = await server.data('{ statements(speaker: "actor:owp", kind: RECOMMENDATION, attribution: EDITORIAL, first: 100) { nodes { kind speaker { id } attribution } } }');
    expect(statements.nodes.length).toBeGreaterThan(0);
    for (const s of statements.nodes) expect(s).toEqual({ kind: 'RECOMMENDATION', speaker: { id: 'actor:owp' }, attribution: 'EDITORIAL' });
  });

  it('document: all statements come from the article, in the order they appear', async () => {
    const data = await server.data(`{
      all: statements(first: 100) { totalCount nodes { id evidence { start } } }
      doc: statements(document: "${ARTICLE_ID}", first: 100) { totalCount nodes { id } }
      none: statements(document: "document:none") { totalCount nodes { id } }
    }`);
    expect(ids(data.doc)).toEqual(ids(data.all));
    expect(data.doc.totalCount).toBe(data.all.totalCount);
    expect(data.none).toEqual({ totalCount: 0, nodes: [] });
    const firstSpan = data.all.nodes.map((s: any) => Math.min(...s.evidence.map((e: any) => e.start)));
    expect(firstSpan).toEqual([...firstSpan].sort((a, b) => a - b));
  });
});

describe('relationships', () => {
  const REL = 'id type source { id } target { id } description inferred inferredFrom evidence { exact }';

  it('entity: matches either end', async () => {
    const { relationships } = await server.data(`{ relationships(entity: "actor:minusma", first: 100) { totalCount nodes { ${REL} } } }`);
    for (const r of relationships.nodes) expect([r.source.id, r.target.id]).toContain('actor:minusma');
    const pairs = relationships.nodes.map((r: any) => `${r.source.id} ${r.type} ${r.target.id}`);
    expect(pairs).toContain('person:el-ghassim-wane LEADS actor:minusma'); // incoming
    expect(pairs).toContain('actor:minusma PART_OF actor:un'); // outgoing
    expect(relationships.totalCount).toBe(relationships.nodes.length);
  });

  it('type: LEADS — the head of MINUSMA leads it', async () => {
    const { relationships } = await server.data(`{ relationships(type: LEADS) { nodes { ${REL} } } }`);
    for (const r of relationships.nodes) expect(r.type).toBe('LEADS');
    const lead = relationships.nodes.find((r: any) => r.source.id === 'person:el-ghassim-wane');
    expect(lead).toMatchObject({ id: 'relationship:el-ghassim-wane--leads--minusma', target: { id: 'actor:minusma' }, inferred: false, inferredFrom: null });
    expect(lead.evidence.map((e: any) => e.exact)).toContain('The head of MINUSMA, El Ghassim Wane');
  });

  it('entity and type together: Nebenzia represents Russia', async () => {
    const { relationships } = await server.data(`{ relationships(entity: "person:vassily-nebenzia", type: REPRESENTS) { nodes { ${REL} } } }`);
    expect(relationships.nodes.map((r: any) => [r.source.id, r.target.id])).toEqual([['person:vassily-nebenzia', 'actor:russia']]);
  });

  it('are ordered by id; inferred ones say what from', async () => {
    const { relationships } = await server.data(`{ relationships(first: 100) { totalCount nodes { ${REL} } } }`);
    const got = ids(relationships);
    expect(got).toEqual([...got].sort());
    expect(relationships.totalCount).toBe(got.length);
    for (const r of relationships.nodes) {
      expect(r.inferredFrom !== null, r.id).toBe(r.inferred);
      expect(r.id).toBe(`relationship:${r.source.id.split(':')[1]}--${r.type.toLowerCase().replace(/_/g, '-')}--${r.target.id.split(':')[1]}`);
    }
  });
});

describe('documents', () => {
  it('the article, verbatim, with its title and publisher', async () => {
    const { documents } = await server.data('{ documents { totalCount nodes { id title text length publisher { id name kind } mentions { totalCount } } } }');
    expect(documents.totalCount).toBe(1);
    const [doc] = documents.nodes;
    expect(doc.id).toBe(ARTICLE_ID);
    expect(doc.title).toBe('Mali Asks UN To End Peacekeeping Mission And Withdraw Forces');
    expect(doc.text).toBe(ARTICLE_TEXT);
    expect(doc.length).toBe(Array.from(ARTICLE_TEXT).length);
    expect(doc.publisher).toEqual({ id: 'actor:owp', name: 'OWP', kind: 'MEDIA_ORGANIZATION' });
    expect(doc.mentions.totalCount).toBeGreaterThan(50);
  });

  it('the text keeps its curly quotes and no-break spaces', () => {
    expect(ARTICLE_TEXT).toContain('“absent that consent');
    expect(ARTICLE_TEXT).toContain('Mali’s');
    expect(ARTICLE_TEXT).toContain('\u00a0');
  });
});
