/**
 * A small hand-made graph for the store conformance suite. Its cases are
 * chosen to tell databases apart: ids whose order differs between byte order
 * and a linguistic collation, positions whose text order differs from their
 * number order, an undated event, a self-loop, a participant in two roles,
 * an event that is both a statement's subject and its occasion. The expected
 * answers in the suite are worked out by hand from this file.
 */
import type { GraphData, SpanRow } from '../../src/store/types.js';

const A = 'document:A';
const B = 'document:b';
const TEXT_A = 'Ann Smith said Zeta Force attacked Oslo. The State answered. Zeta Force denied it, and Zeta Force left.';
const TEXT_B = 'A Zeta Force request.';

/** A span of `text` from code point `start` (ASCII texts: code points are UTF-16 units). */
function span(documentId: string, text: string, exact: string, from = 0): SpanRow {
  const start = text.indexOf(exact, from);
  if (start < 0) throw new Error(`fixture: "${exact}" not in ${documentId}`);
  const end = start + exact.length;
  return { documentId, start, end, exact, prefix: text.slice(Math.max(0, start - 5), start), suffix: text.slice(end, end + 5) };
}

/** The fixture graph. */
export function fixtureGraph(): GraphData {
  return {
    documents: [
      { id: B, title: 'Document b', text: TEXT_B, length: TEXT_B.length, url: null, publishedOn: null, publisherId: null, contentHash: 'hb' },
      {
        id: A,
        title: 'Document A',
        text: TEXT_A,
        length: TEXT_A.length,
        url: 'https://example.org/a',
        publishedOn: '2023-06-30',
        publisherId: 'actor:state',
        contentHash: 'ha',
      },
    ],
    entities: [
      { id: 'actor:zeta', type: 'ACTOR', kind: 'ARMED_GROUP', name: 'Zeta Force', title: null, description: 'An armed group.' },
      { id: 'actor:eclair', type: 'ACTOR', kind: 'ARMED_GROUP', name: 'Éclair Group', title: null, description: 'Another group.' },
      { id: 'person:ann', type: 'PERSON', kind: null, name: 'Ann Smith', title: 'Spokesperson', description: 'A spokesperson.' },
      { id: 'place:oslo', type: 'PLACE', kind: 'CITY', name: 'Oslo', title: null, description: 'A city.' },
      { id: 'actor:state', type: 'ACTOR', kind: 'STATE', name: 'The State', title: null, description: 'A state.' },
    ],
    aliases: [
      { entityId: 'actor:zeta', name: 'Zeta Force', norm: 'zeta force', source: 'TEXT', ord: 0 },
      { entityId: 'actor:zeta', name: 'the group', norm: 'group', source: 'TEXT', ord: 1 },
      { entityId: 'actor:eclair', name: 'Éclair Group', norm: 'eclair group', source: 'TEXT', ord: 0 },
      { entityId: 'actor:eclair', name: 'EG', norm: 'eg', source: 'COMMON', ord: 1 },
      { entityId: 'actor:eclair', name: 'The Group', norm: 'group', source: 'COMMON', ord: 2 },
      { entityId: 'person:ann', name: 'Ann Smith', norm: 'ann smith', source: 'TEXT', ord: 0 },
      { entityId: 'place:oslo', name: 'Oslo', norm: 'oslo', source: 'TEXT', ord: 0 },
      { entityId: 'actor:state', name: 'The State', norm: 'state', source: 'TEXT', ord: 0 },
    ],
    evidence: [
      { ownerId: 'statement:s1', ord: 0, ...span(A, TEXT_A, 'Ann Smith said Zeta Force attacked Oslo') },
      { ownerId: 'statement:s1', ord: 1, ...span(A, TEXT_A, 'attacked') },
      { ownerId: 'relationship:B', ord: 0, ...span(A, TEXT_A, 'The State') },
    ],
    mentions: [
      // At code points 87, 0, 15 of A and 2 of b.
      { id: 'mention:zeta-last', entityId: 'actor:zeta', ...span(A, TEXT_A, 'Zeta Force', 80) },
      { id: 'mention:ann', entityId: 'person:ann', ...span(A, TEXT_A, 'Ann Smith') },
      { id: 'mention:zeta-first', entityId: 'actor:zeta', ...span(A, TEXT_A, 'Zeta Force') },
      { id: 'mention:zeta-b', entityId: 'actor:zeta', ...span(B, TEXT_B, 'Zeta Force') },
    ],
    events: [
      {
        id: 'event:undated',
        name: 'Undated talks',
        kind: 'MEETING',
        description: 'Talks with no date in the text.',
        placeId: null,
        dateText: null,
        year: null,
        month: null,
        day: null,
        precision: null,
        dateInferred: false,
        dateInferredFrom: null,
        earliest: null,
        latest: null,
      },
      {
        id: 'event:d2022-03-15',
        name: 'A day in March',
        kind: 'ATTACK',
        description: 'On 15 March 2022.',
        placeId: 'place:oslo',
        dateText: '15 March 2022',
        year: 2022,
        month: 3,
        day: 15,
        precision: 'DAY',
        dateInferred: false,
        dateInferredFrom: null,
        earliest: '2022-03-15',
        latest: '2022-03-15',
      },
      {
        id: 'event:y2022',
        name: 'During 2022',
        kind: 'ATTACK',
        description: 'Some time in 2022.',
        placeId: 'place:oslo',
        dateText: '2022',
        year: 2022,
        month: null,
        day: null,
        precision: 'YEAR',
        dateInferred: false,
        dateInferredFrom: null,
        earliest: '2022-01-01',
        latest: '2022-12-31',
      },
      {
        id: 'event:d2023-06-30',
        name: 'The deadline',
        kind: 'DEADLINE',
        description: 'June 30th.',
        placeId: null,
        dateText: 'June 30th',
        year: 2023,
        month: 6,
        day: 30,
        precision: 'DAY',
        dateInferred: true,
        dateInferredFrom: 'the publication date',
        earliest: '2023-06-30',
        latest: '2023-06-30',
      },
      {
        id: 'event:m2022-03',
        name: 'In March',
        kind: 'MEETING',
        description: 'March 2022.',
        placeId: null,
        dateText: 'March 2022',
        year: 2022,
        month: 3,
        day: null,
        precision: 'MONTH',
        dateInferred: false,
        dateInferredFrom: null,
        earliest: '2022-03-01',
        latest: '2022-03-31',
      },
    ],
    participants: [
      { id: 'participant:y2022-1', eventId: 'event:y2022', entityId: 'actor:zeta', role: 'ATTACKER', ord: 0 },
      { id: 'participant:y2022-2', eventId: 'event:y2022', entityId: 'place:oslo', role: 'LOCATION', ord: 1 },
      { id: 'participant:y2022-3', eventId: 'event:y2022', entityId: 'actor:zeta', role: 'TARGET', ord: 2 },
      { id: 'participant:m2022-1', eventId: 'event:m2022-03', entityId: 'person:ann', role: 'HOST', ord: 1 },
      { id: 'participant:m2022-0', eventId: 'event:m2022-03', entityId: 'actor:zeta', role: 'GUEST', ord: 0 },
      { id: 'participant:d15-0', eventId: 'event:d2022-03-15', entityId: 'person:ann', role: 'WITNESS', ord: 0 },
      { id: 'participant:d30-0', eventId: 'event:d2023-06-30', entityId: 'actor:state', role: 'PARTY', ord: 0 },
    ],
    statements: [
      {
        id: 'statement:s10',
        kind: 'ASSERTION',
        text: 'Zeta Force left.',
        attribution: 'EDITORIAL',
        speakerId: 'actor:state',
        occasionId: null,
        documentId: A,
        position: 10,
      },
      {
        id: 'statement:s1',
        kind: 'ACCUSATION',
        text: 'Zeta Force attacked Oslo.',
        attribution: 'DIRECT_QUOTE',
        speakerId: 'person:ann',
        occasionId: 'event:d2022-03-15',
        documentId: A,
        position: 1,
      },
      {
        id: 'statement:s3',
        kind: 'REQUEST',
        text: 'A request.',
        attribution: 'REPORTED',
        speakerId: 'person:ann',
        occasionId: 'event:y2022',
        documentId: B,
        position: 1,
      },
      {
        id: 'statement:s2',
        kind: 'ASSERTION',
        text: 'The State answered.',
        attribution: 'REPORTED',
        speakerId: 'actor:state',
        occasionId: null,
        documentId: A,
        position: 2,
      },
    ],
    statementSubjects: [
      { statementId: 'statement:s1', subjectId: 'event:y2022', ord: 1 },
      { statementId: 'statement:s1', subjectId: 'actor:zeta', ord: 0 },
      { statementId: 'statement:s2', subjectId: 'actor:zeta', ord: 0 },
      { statementId: 'statement:s3', subjectId: 'event:m2022-03', ord: 0 },
      { statementId: 'statement:s3', subjectId: 'event:y2022', ord: 1 },
    ],
    relationships: [
      { id: 'relationship:a', type: 'GOVERNS', sourceId: 'actor:state', targetId: 'actor:state', description: 'Self-rule.', inferred: false, inferredFrom: null },
      { id: 'relationship:_x', type: 'LEADS', sourceId: 'person:ann', targetId: 'actor:state', description: 'Ann leads.', inferred: true, inferredFrom: 'her title' },
      { id: 'relationship:B', type: 'CONTROLS', sourceId: 'actor:state', targetId: 'place:oslo', description: 'Controls Oslo.', inferred: false, inferredFrom: null },
      { id: 'relationship:-y', type: 'SUPPORTS', sourceId: 'actor:zeta', targetId: 'actor:state', description: 'Supports.', inferred: false, inferredFrom: null },
    ],
  };
}
