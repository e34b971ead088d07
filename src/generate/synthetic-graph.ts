/**
 * A synthetic graph of the seed graph's shape, at any size, for benchmarks:
 * per million entities, 5,000,000 relationships, 2,000,000 statements,
 * 200,000 events (dates of YEAR, MONTH and DAY precision), 100,000 documents,
 * every count scaled with the number of entities.
 *
 * Each document's text is written sentence by sentence from templates, and
 * every fact's evidence is the span of the sentence that states it, taken
 * from the finished text (`CodePointText`), so `exact` is always the code
 * point slice of the text at `[start, end)`. Every name placed in a text is
 * recorded as a mention. Some documents open with letters outside the Basic
 * Multilingual Plane, so code point offsets and UTF-16 indexes differ there.
 *
 * Deterministic: the same options give the same rows. Everything about an
 * entity (type, kind, names, id) is a pure function of its number; each
 * document has its own seeded generator (pure-rand's xoroshiro128+), so the
 * output does not depend on how it is batched.
 */
import { unsafeUniformIntDistribution, xoroshiro128plus } from 'pure-rand';

import { normalizeName } from '../graph/normalize.js';
import { partialDateRange } from '../graph/partial-date.js';
import { CodePointText } from '../graph/spans.js';
import type {
  AliasRow,
  DocumentRow,
  EntityRow,
  EntityType,
  EventRow,
  EvidenceRow,
  GraphData,
  MentionRow,
  ParticipantRow,
  RelationshipRow,
  SeedRow,
  StatementRow,
  StatementSubjectRow,
} from '../store/types.js';

/** Options of `generateGraph`. */
export interface GenerateOptions {
  /** Number of entities; every other count scales with it. */
  entities: number;
  /** PRNG seed. Default 1. */
  seed?: number;
  /** Documents per yielded batch. Default 1 (rows then die young, which the garbage collector likes). */
  batchDocuments?: number;
}

/** The counts a size implies (per 1,000,000 entities: 5M relationships, 2M statements, 200k events, 100k documents). */
export interface GraphPlan {
  entities: number;
  relationships: number;
  statements: number;
  events: number;
  documents: number;
}

/** Counts for `entities` entities, at least one of each. */
export function planGraph(entities: number): GraphPlan {
  if (!Number.isInteger(entities) || entities < 10) throw new RangeError(`--entities must be an integer of at least 10; got ${entities}.`);
  return {
    entities,
    relationships: entities * 5,
    statements: entities * 2,
    events: Math.max(1, Math.round(entities / 5)),
    documents: Math.max(1, Math.round(entities / 10)),
  };
}

// ---------------------------------------------------------------------------
// Entities: pure functions of the entity number
// ---------------------------------------------------------------------------

/** Two-letter syllables; names are base-80 numerals in them, so distinct numbers give distinct words. */
const SYLLABLES_A = syllables('bdgklmnprstvzfhj', 'aeiou');
/** A disjoint set (other consonants) for aliases, so no alias is another entity's name. */
const SYLLABLES_B = syllables('cqwxy', 'aeiouy');

function syllables(consonants: string, vowels: string): string[] {
  const out: string[] = [];
  for (const c of consonants) for (const v of vowels) out.push(c + v);
  return out;
}

/** The number `n` as a four-syllable word (capitalised). Unique for n < table.length ** 4. */
function word(n: number, table: readonly string[]): string {
  const k = table.length;
  let s = '';
  for (let i = 0; i < 4; i++) {
    s = table[n % k]! + s;
    n = Math.floor(n / k);
  }
  if (n > 0) s = word(n, table).toLowerCase() + s;
  return s[0]!.toUpperCase() + s.slice(1);
}

/** A 32-bit mix of an integer (splitmix-style), for choices that must not need a generator. */
function mix(n: number): number {
  let x = (n + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

const ACTOR_KINDS = [
  ['STATE', 'Republic', 'a state in the region'],
  ['ARMED_GROUP', 'Front', 'an armed group active in the borderlands'],
  ['REBEL_GROUP', 'Movement', 'a rebel movement fighting the government'],
  ['GOVERNMENT', 'Council', 'the transitional government of its country'],
  ['INTERGOVERNMENTAL_ORGANIZATION', 'Union', 'an organisation of states'],
  ['PEACEKEEPING_MISSION', 'Mission', 'a peacekeeping mission'],
  ['PRIVATE_MILITARY_COMPANY', 'Group', 'a private military company'],
  ['MEDIA_ORGANIZATION', 'Wire', 'a news agency'],
  ['ARMED_FORCES', 'Brigade', 'a brigade of the national army'],
  ['POPULATION_GROUP', 'Herders', 'a community of herders'],
] as const;
const PLACE_KINDS = [
  ['COUNTRY', '', 'a country'],
  ['REGION', 'Basin', 'a region spanning several countries'],
  ['SUBNATIONAL_REGION', 'Province', 'a province'],
  ['SETTLEMENT', '', 'a town on the river'],
] as const;
const FIRST_NAMES = ['Amina', 'Boris', 'Chloé', 'Dmitri', 'Esther', 'Farid', 'Grace', 'Hamid', 'Inès', 'Jonas', 'Khadija', 'Lars', 'Mariam', 'Nikolai', 'Oumar', 'Paulo'];
const TITLES = ['minister of defence', 'foreign minister', 'spokesperson', 'special envoy', 'commander', 'ambassador to the UN', 'president', 'mayor'];

/** Everything about entity number `i`. */
export interface SyntheticEntity {
  index: number;
  id: string;
  type: EntityType;
  kind: string | null;
  name: string;
  /** The other name the texts use. */
  alias: string;
  /** A name the texts never use (every third entity), or null. */
  commonName: string | null;
  title: string | null;
  description: string;
}

/** The type of entity number `i` (what `syntheticEntity(i).type` is, without building the rest). */
function entityType(i: number): EntityType {
  const roll = mix(i) % 10;
  return roll < 5 ? 'ACTOR' : roll < 8 ? 'PERSON' : 'PLACE';
}

/**
 * Entities built lately, direct-mapped by number (a fixed 64k slots, whatever
 * the size of the graph): hubs and the entities a document introduces come
 * back often, and building one (words, normalised slug) costs more than the
 * lookup. Entries are frozen, since callers share them.
 */
const ENTITY_CACHE_SLOTS = 1 << 16;
const entityCache: (SyntheticEntity | undefined)[] = new Array<SyntheticEntity | undefined>(ENTITY_CACHE_SLOTS);

/** Entity number `i` (0-based). */
export function syntheticEntity(i: number): SyntheticEntity {
  const slot = i & (ENTITY_CACHE_SLOTS - 1);
  const cached = entityCache[slot];
  if (cached !== undefined && cached.index === i) return cached;
  const entity = Object.freeze(buildEntity(i));
  entityCache[slot] = entity;
  return entity;
}

function buildEntity(i: number): SyntheticEntity {
  const h = mix(i);
  const type = entityType(i);
  const base = word(i, SYLLABLES_A);
  const alias = word(i, SYLLABLES_B);
  let kind: string | null = null;
  let name: string;
  let description: string;
  let title: string | null = null;
  if (type === 'ACTOR') {
    const [k, suffix, what] = ACTOR_KINDS[(h >>> 8) % ACTOR_KINDS.length]!;
    kind = k;
    name = `${base} ${suffix}`;
    description = what;
  } else if (type === 'PLACE') {
    const [k, suffix, what] = PLACE_KINDS[(h >>> 8) % PLACE_KINDS.length]!;
    kind = k;
    name = suffix ? `${base} ${suffix}` : base;
    description = what;
  } else {
    name = `${FIRST_NAMES[(h >>> 8) % FIRST_NAMES.length]} ${base}`;
    title = TITLES[(h >>> 12) % TITLES.length]!;
    description = `the ${title}`;
  }
  // The number leads the id, so ids grow in the order rows are written (B-tree appends, not random inserts).
  const slug = `s${String(i).padStart(7, '0')}-${normalizeName(name).replace(/ /g, '-')}`;
  return {
    index: i,
    id: `${type.toLowerCase()}:${slug}`,
    type,
    kind,
    name,
    alias,
    commonName: i % 3 === 0 ? `${alias} ${type === 'PERSON' ? 'Sr' : 'Alliance'}` : null,
    title,
    description,
  };
}

// ---------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------

const RELATIONSHIP_TYPES = [
  ['SUPPORTS', 'supports'],
  ['OPPOSES', 'opposes'],
  ['AFFILIATED_WITH', 'is linked to'],
  ['MEMBER_OF', 'is a member of'],
  ['INFLUENCES', 'influences'],
  ['OPERATES_IN', 'operates in'],
  ['LEADS', 'leads'],
  ['REPRESENTS', 'represents'],
  ['PART_OF', 'is part of'],
  ['CONTROLS', 'controls'],
  ['GOVERNS', 'governs'],
  ['LOCATED_IN', 'lies in'],
] as const;
const STATEMENT_KINDS = [
  ['ACCUSATION', 'accused', 'of attacking civilians'],
  ['REQUEST', 'asked', 'to withdraw its forces'],
  ['PROMISE', 'promised', 'support before the elections'],
  ['ASSESSMENT', 'said', 'had lost control of the roads'],
  ['WARNING', 'warned', 'against a new offensive'],
  ['DENIAL', 'denied that', 'had moved troops'],
  ['PREDICTION', 'predicted that', 'would sign the accord'],
  ['RECOMMENDATION', 'urged', 'to open talks'],
] as const;
const EVENT_KINDS = [
  ['ATTACK', 'attack'],
  ['MEETING', 'talks'],
  ['ELECTION', 'election'],
  ['AGREEMENT', 'accord'],
  ['PROTEST', 'protests'],
  ['WITHDRAWAL', 'withdrawal'],
  ['DEPLOYMENT', 'deployment'],
  ['COUP', 'coup'],
] as const;
const ROLES = ['AGENT', 'TARGET', 'PARTICIPANT', 'ATTENDEE', 'SUPPORTER'] as const;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
/** Letters outside the BMP (two UTF-16 units, one code point each). */
const ASTRAL_MASTHEAD = '𝔗𝔥𝔢 𝔖𝔶𝔫𝔱𝔥𝔢𝔱𝔦𝔠 𝔚𝔦𝔯𝔢 🛰';

/** A text under construction; remembers where names and facts went, in UTF-16 indexes. */
class TextBuilder {
  text = '';
  readonly names: { entityId: string; start: number; end: number }[] = [];
  add(piece: string): this {
    this.text += piece;
    return this;
  }
  name(entity: SyntheticEntity, which: 'name' | 'alias' = 'name'): this {
    const start = this.text.length;
    this.text += entity[which];
    this.names.push({ entityId: entity.id, start, end: this.text.length });
    return this;
  }
  get at(): number {
    return this.text.length;
  }
}

/** A fact waiting for its evidence span (UTF-16 indexes into the finished text). */
interface PendingEvidence {
  ownerId: string;
  start: number;
  end: number;
}

/** The range `[from, to)` of items of `total` that fall to document `d` of `documents`. */
function share(total: number, documents: number, d: number): [number, number] {
  return [Math.floor((d * total) / documents), Math.floor(((d + 1) * total) / documents)];
}

/** An empty `GraphData`. */
export function emptyGraphData(): GraphData {
  return {
    documents: [],
    entities: [],
    aliases: [],
    evidence: [],
    mentions: [],
    events: [],
    participants: [],
    statements: [],
    statementSubjects: [],
    relationships: [],
  };
}

/** Random choices of one document. */
class Dice {
  private readonly rng;
  constructor(seed: number) {
    this.rng = xoroshiro128plus(seed);
  }
  int(max: number): number {
    return unsafeUniformIntDistribution(0, max - 1, this.rng);
  }
  unit(): number {
    return (this.rng.unsafeNext() >>> 0) / 4294967296;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

/** Rows of document `d` and of the facts it states. */
export function generateDocument(d: number, plan: GraphPlan, seed: number): GraphData {
  const out = emptyGraphData();
  const dice = new Dice((seed * 1_000_003 + d) | 0);
  const E = plan.entities;
  const anyNumber = (): number => {
    // A third of the picks lean towards low numbers: hubs with many relationships, as in news.
    const u = dice.unit();
    return dice.unit() < 0.3 ? Math.floor(E * u * u * u * u) : Math.floor(E * u);
  };
  const anyEntity = (): SyntheticEntity => syntheticEntity(anyNumber());
  const anyOf = (type: EntityType): SyntheticEntity => {
    for (;;) {
      const i = anyNumber();
      if (entityType(i) === type) return syntheticEntity(i);
    }
  };
  const documentId = `document:synthetic-${String(d).padStart(7, '0')}`;
  const b = new TextBuilder();
  const evidence: PendingEvidence[] = [];
  const publisher = syntheticEntity(mix(d * 7 + 1) % E);

  if (d % 10 === 3) b.add(`${ASTRAL_MASTHEAD}\n`);
  b.add(`Dispatch ${d + 1}, from `).name(publisher).add('.\n\n');

  // Entities introduced here: name, alias, description.
  const [e0, e1] = share(E, plan.documents, d);
  for (let i = e0; i < e1; i++) {
    const e = syntheticEntity(i);
    const start = b.at;
    b.name(e).add(', also called ').name(e, 'alias').add(`, is ${e.description}.`);
    evidence.push({ ownerId: e.id, start, end: b.at });
    b.add(' ');
    out.entities.push({ id: e.id, type: e.type, kind: e.kind, name: e.name, title: e.title, description: `${e.name} is ${e.description}.` });
    out.aliases.push({ entityId: e.id, name: e.name, norm: normalizeName(e.name), source: 'TEXT', ord: 0 });
    out.aliases.push({ entityId: e.id, name: e.alias, norm: normalizeName(e.alias), source: 'TEXT', ord: 1 });
    if (e.commonName) out.aliases.push({ entityId: e.id, name: e.commonName, norm: normalizeName(e.commonName), source: 'COMMON', ord: 2 });
  }
  b.add('\n\n');

  // Events, with partial dates.
  const [v0, v1] = share(plan.events, plan.documents, d);
  for (let k = v0; k < v1; k++) {
    const [kind, noun] = dice.pick(EVENT_KINDS);
    const place = anyOf('PLACE');
    const year = 1990 + dice.int(35);
    const roll = dice.int(10);
    const month = roll < 4 ? null : 1 + dice.int(12);
    const day = roll < 7 || month === null ? null : 1 + dice.int(28);
    const dateText = month === null ? String(year) : day === null ? `${MONTHS[month - 1]} ${year}` : `${day} ${MONTHS[month - 1]} ${year}`;
    const range = partialDateRange({ year, month, day });
    const id = `event:synthetic-${String(k).padStart(7, '0')}`;
    const participants = [anyEntity(), anyEntity(), ...(dice.int(2) ? [anyEntity()] : [])].filter(
      (p, i, all) => all.findIndex((q) => q.id === p.id) === i,
    );
    const start = b.at;
    b.add(`The ${noun} in `).name(place).add(` took place ${day === null ? 'in' : 'on'} ${dateText}, with `);
    participants.forEach((p, i) => {
      if (i > 0) b.add(i === participants.length - 1 ? ' and ' : ', ');
      b.name(p);
    });
    b.add('.');
    evidence.push({ ownerId: id, start, end: b.at });
    b.add(' ');
    out.events.push({
      id,
      name: `The ${noun} in ${place.name}, ${dateText}`,
      kind,
      description: `The ${noun} in ${place.name} took place ${day === null ? 'in' : 'on'} ${dateText}.`,
      placeId: place.id,
      dateText,
      year,
      month,
      day,
      precision: range.precision,
      dateInferred: false,
      dateInferredFrom: null,
      earliest: range.earliest,
      latest: range.latest,
    });
    participants.forEach((p, ord) => {
      const role = ROLES[(ord + k) % ROLES.length]!;
      out.participants.push({ id: `${id}#${p.id}#${role}`, eventId: id, entityId: p.id, role, ord });
    });
  }
  b.add('\n\n');

  // Statements: reported speech and direct quotes.
  const [s0, s1] = share(plan.statements, plan.documents, d);
  for (let k = s0; k < s1; k++) {
    const [kind, verb, claim] = dice.pick(STATEMENT_KINDS);
    const speaker = anyEntity();
    const subject = anyEntity();
    const id = `statement:synthetic-${String(k).padStart(8, '0')}`;
    const start = b.at;
    let text: string;
    let attribution: StatementRow['attribution'];
    if (dice.int(4) === 0) {
      attribution = 'DIRECT_QUOTE';
      b.name(speaker).add(' said: “');
      const quoteStart = b.at;
      b.name(subject).add(` ${claim}.`);
      text = b.text.slice(quoteStart, b.at);
      b.add('”');
    } else {
      attribution = 'REPORTED';
      b.name(speaker).add(` ${verb} `).name(subject).add(` ${claim}.`);
      text = b.text.slice(start, b.at);
    }
    evidence.push({ ownerId: id, start, end: b.at });
    b.add(' ');
    out.statements.push({ id, kind, text, attribution, speakerId: speaker.id, occasionId: null, documentId, position: 0 });
    out.statementSubjects.push({ statementId: id, subjectId: subject.id, ord: 0 });
    if (v1 > v0 && dice.int(5) === 0) {
      out.statementSubjects.push({ statementId: id, subjectId: `event:synthetic-${String(v0 + dice.int(v1 - v0)).padStart(7, '0')}`, ord: 1 });
    }
  }
  b.add('\n\n');

  // Relationships: five per entity introduced here, in one sentence from it:
  // "A supports B, opposes C and leads D." Each one's evidence runs from the
  // source's name to the end of its target's name.
  const slug = (id: string): string => id.slice(id.indexOf(':') + 1);
  const perSource = plan.relationships / plan.entities;
  for (let i = e0; i < e1; i++) {
    const source = syntheticEntity(i);
    const targets: number[] = [];
    const start = b.at;
    b.name(source);
    for (let g = 0; g < perSource; g++) {
      let target: SyntheticEntity;
      do target = anyEntity();
      while (target.index === source.index || targets.includes(target.index));
      targets.push(target.index);
      const [type, verb] = dice.pick(RELATIONSHIP_TYPES);
      const id = `relationship:${slug(source.id)}--${type.toLowerCase().replace(/_/g, '-')}--${slug(target.id)}`;
      b.add(g === 0 ? ' ' : g === perSource - 1 ? ' and ' : ', ').add(`${verb} `).name(target);
      evidence.push({ ownerId: id, start, end: b.at });
      out.relationships.push({
        id,
        type,
        sourceId: source.id,
        targetId: target.id,
        description: `${source.name} ${verb} ${target.name}.`,
        inferred: false,
        inferredFrom: null,
      });
    }
    b.add('. ');
  }

  // The finished text: spans in code points, with their context.
  const text = new CodePointText(b.text.trimEnd() + '\n');
  const ords = new Map<string, number>();
  for (const p of evidence) {
    const ord = ords.get(p.ownerId) ?? 0;
    ords.set(p.ownerId, ord + 1);
    out.evidence.push({ ownerId: p.ownerId, ord, ...text.spanOfIndexes(documentId, p.start, p.end) } satisfies SeedRow<EvidenceRow>);
  }
  const statementStart = new Map(evidence.map((p) => [p.ownerId, text.offset(p.start)]));
  for (const s of out.statements) s.position = statementStart.get(s.id)!;
  const slugOfDocument = documentId.slice('document:'.length);
  for (const n of b.names) {
    const span = text.spanOfIndexes(documentId, n.start, n.end);
    out.mentions.push({ id: `mention:${slugOfDocument}:${span.start}`, entityId: n.entityId, ...span } satisfies SeedRow<MentionRow>);
  }
  out.documents.push({
    id: documentId,
    title: `Dispatch ${d + 1}`,
    text: text.text,
    length: text.length,
    url: `https://example.org/dispatch/${d + 1}`,
    publishedOn: `20${String(10 + (d % 15)).padStart(2, '0')}-${String(1 + (d % 12)).padStart(2, '0')}-${String(1 + (d % 28)).padStart(2, '0')}`,
    publisherId: publisher.type === 'ACTOR' ? publisher.id : null,
    contentHash: String(mix(d)),
  } satisfies SeedRow<DocumentRow>);
  return out;
}

/** Append `more` to `into`, table by table. */
function append(into: GraphData, more: GraphData): void {
  for (const key of Object.keys(into) as (keyof GraphData)[]) {
    const target = into[key] as unknown[];
    for (const row of more[key] as unknown[]) target.push(row);
  }
}

/**
 * The graph, in batches of `batchDocuments` documents with the facts they
 * state. Entity rows come with the document that introduces them.
 */
export function* generateGraph(options: GenerateOptions): Generator<GraphData> {
  const plan = planGraph(options.entities);
  const seed = options.seed ?? 1;
  const perBatch = options.batchDocuments ?? 1;
  for (let d = 0; d < plan.documents; d += perBatch) {
    const batch = emptyGraphData();
    for (let x = d; x < Math.min(plan.documents, d + perBatch); x++) append(batch, generateDocument(x, plan, seed));
    yield batch;
  }
}

/** Rows of one type in a batch, for progress reports. */
export function rowCount(data: GraphData): number {
  let n = 0;
  for (const rows of Object.values(data)) n += (rows as unknown[]).length;
  return n;
}

export type { AliasRow, EntityRow, ParticipantRow, RelationshipRow, StatementSubjectRow };
