/**
 * Compiles the seeds folder (documents.yaml, the texts, and their curated
 * annotations) into the rows of one graph, resolving every quote to a span and
 * finding every mention. Pure: reads files, writes nothing.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse as parseYaml } from 'yaml';

import { findMentions, type NamePattern } from '../graph/mention-matcher.js';
import { normalizeName } from '../graph/normalize.js';
import { partialDateRange } from '../graph/partial-date.js';
import { CodePointText, type Span } from '../graph/spans.js';
import type {
  AliasRow,
  DocumentRow,
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
import { ACTOR_KINDS, type Annotation, PLACE_KINDS, type QuoteSpec, validateAnnotation } from './annotation.js';
import { BuildError } from './build-error.js';
import { resolveQuote, type QuoteContext } from './resolve-quote.js';

/**
 * Version of the compiler's output. Bump it when the same seeds should
 * compile to different rows, so that `npm start` rebuilds.
 */
export const COMPILER_VERSION = 1;

/** The seeds folder's documents.yaml, one entry per document. */
interface DocumentMeta {
  id: string;
  file: string;
  annotations?: string;
  title: string;
  publisher?: string;
  url?: string;
  publishedOn?: string;
}

/** The compiled graph and the fingerprint of the seeds it came from. */
export interface CompiledSeeds {
  data: GraphData;
  fingerprint: string;
}

/** Files read from the seeds folder, in a fixed order (for the fingerprint). */
interface SeedFiles {
  metas: DocumentMeta[];
  texts: Map<string, string>;
  annotations: { file: string; raw: string }[];
  schemaPath: string;
  hash: string;
}

function readSeedFiles(seedsDir: string): SeedFiles {
  const hash = createHash('sha256').update(`compiler:${COMPILER_VERSION}\n`);
  const read = (name: string): string => {
    let content: string;
    try {
      content = readFileSync(join(seedsDir, name), 'utf8');
    } catch {
      throw new BuildError(name, 'files', `cannot read ${join(seedsDir, name)}`);
    }
    hash.update(`${name}\n${content.length}\n${content}`);
    return content;
  };
  const schemaPath = join(seedsDir, 'annotation.schema.json');
  read('annotation.schema.json');
  const index = parseYaml(read('documents.yaml')) as { documents?: DocumentMeta[] } | null;
  const metas = index?.documents;
  if (!Array.isArray(metas) || metas.length === 0) throw new BuildError('documents.yaml', 'documents', 'lists no documents');
  const texts = new Map<string, string>();
  const annotations: { file: string; raw: string }[] = [];
  for (const meta of metas) {
    for (const key of ['id', 'file', 'title'] as const) {
      if (typeof meta[key] !== 'string' || meta[key].length === 0) {
        throw new BuildError('documents.yaml', String(meta.id ?? meta.file ?? '?'), `needs a "${key}"`);
      }
    }
    if (!/^document:[a-z0-9-]+$/.test(meta.id)) throw new BuildError('documents.yaml', meta.id, 'id must look like document:<slug>');
    texts.set(meta.id, read(meta.file));
    if (meta.annotations) annotations.push({ file: meta.annotations, raw: read(meta.annotations) });
  }
  return { metas, texts, annotations, schemaPath, hash: hash.digest('hex') };
}

/** The fingerprint of the seeds (and compiler version), without compiling them. */
export function seedFingerprint(seedsDir: string): string {
  return readSeedFiles(seedsDir).hash;
}

/**
 * Compile the seeds folder into graph rows.
 * @throws BuildError naming the file, the fact and the quote at the first problem.
 */
export function compileSeeds(seedsDir: string): CompiledSeeds {
  const files = readSeedFiles(seedsDir);
  const data: GraphData = {
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
  const texts = new Map<string, CodePointText>();
  for (const meta of files.metas) {
    const text = new CodePointText(files.texts.get(meta.id)!);
    texts.set(meta.id, text);
    const row: SeedRow<DocumentRow> = {
      id: meta.id,
      title: meta.title,
      text: text.text,
      length: text.length,
      url: meta.url ?? null,
      publishedOn: meta.publishedOn ?? null,
      publisherId: meta.publisher ?? null,
      contentHash: createHash('sha256').update(text.text).digest('hex'),
    };
    data.documents.push(row);
  }

  const annotations = files.annotations.map(({ file, raw }) => {
    let parsed: unknown;
    try {
      parsed = parseYaml(raw);
    } catch (error) {
      throw new BuildError(file, 'yaml', (error as Error).message.split('\n')[0]!);
    }
    const annotation = validateAnnotation(parsed, file, files.schemaPath);
    if (!texts.has(annotation.document)) throw new BuildError(file, 'document', `unknown document ${annotation.document}`);
    return { file, annotation };
  });

  // Ids first, so that references can be checked whatever the order.
  const declared = new Map<string, string>();
  const declare = (id: string, file: string): void => {
    if (declared.has(id)) throw new BuildError(file, id, `declared twice (also in ${declared.get(id)})`);
    declared.set(id, file);
  };
  for (const { file, annotation } of annotations) {
    for (const e of annotation.entities) declare(e.id, file);
    for (const e of annotation.events ?? []) declare(e.id, file);
    for (const s of annotation.statements ?? []) declare(s.id, file);
  }
  const allTexts = [...texts.values()].map((t) => t.text);
  for (const meta of files.metas) {
    if (meta.publisher && !declared.has(meta.publisher)) {
      throw new BuildError('documents.yaml', meta.id, `unknown entity reference ${meta.publisher} (publisher)`);
    }
  }

  const patterns: NamePattern[] = [];
  for (const { file, annotation } of annotations) {
    compileAnnotation(annotation, file, texts.get(annotation.document)!, declared, allTexts, data, patterns);
  }

  for (const doc of data.documents) {
    const text = texts.get(doc.id)!;
    let matches;
    try {
      matches = findMentions(text.text, patterns);
    } catch (error) {
      throw new BuildError('aliases', 'mentions', (error as Error).message);
    }
    for (const m of matches) {
      const span = text.spanOfIndexes(doc.id, m.startIndex, m.endIndex);
      const row: SeedRow<MentionRow> = { id: `mention:${doc.id.slice('document:'.length)}:${span.start}`, entityId: m.entityId, ...span };
      data.mentions.push(row);
    }
  }
  return { data, fingerprint: files.hash };
}

function compileAnnotation(
  annotation: Annotation,
  file: string,
  text: CodePointText,
  declared: Map<string, string>,
  allTexts: string[],
  data: GraphData,
  patterns: NamePattern[],
): void {
  const documentId = annotation.document;
  const ctx = (fact: string): QuoteContext => ({ documentId, text, file, fact });
  const ref = (fact: string, id: string, what: string, prefix?: RegExp): string => {
    if (!declared.has(id)) throw new BuildError(file, fact, `unknown entity reference ${id} (${what})`);
    if (prefix && !prefix.test(id)) throw new BuildError(file, fact, `${what} ${id} is not of the right type`);
    return id;
  };
  // An event happens at a place, or in a state's territory.
  const placeRef = (fact: string, id: string): string => {
    ref(fact, id, 'place', /^(place|actor):/);
    const actor = annotation.entities.find((e) => e.id === id);
    if (id.startsWith('actor:') && actor?.kind !== 'STATE') throw new BuildError(file, fact, `place ${id} is an actor but not a STATE`);
    return id;
  };
  const addEvidence = (ownerId: string, quotes: readonly QuoteSpec[], fact: string): Span[] => {
    const spans = quotes.map((q) => resolveQuote(q, ctx(fact)));
    spans.forEach((span, ord) => {
      const row: SeedRow<EvidenceRow> = { ownerId, ord, ...span };
      data.evidence.push(row);
    });
    return spans;
  };

  for (const e of annotation.entities) {
    if (e.type === 'PERSON' && e.kind) throw new BuildError(file, e.id, 'people have no kind');
    if (e.type === 'ACTOR' && !ACTOR_KINDS.has(e.kind ?? '')) throw new BuildError(file, e.id, `actor kind ${e.kind ?? '(none)'} is not an ActorKind`);
    if (e.type === 'PLACE' && !PLACE_KINDS.has(e.kind ?? '')) throw new BuildError(file, e.id, `place kind ${e.kind ?? '(none)'} is not a PlaceKind`);
    const expectedPrefix = { ACTOR: 'actor:', PERSON: 'person:', PLACE: 'place:' }[e.type];
    if (!e.id.startsWith(expectedPrefix)) throw new BuildError(file, e.id, `a ${e.type} id must start with ${expectedPrefix}`);
    if (e.title && e.type !== 'PERSON') throw new BuildError(file, e.id, 'only people have a title');
    data.entities.push({
      id: e.id,
      type: e.type,
      kind: e.kind ?? null,
      name: e.name,
      title: e.title ?? null,
      description: e.description,
    });
    addEvidence(e.id, e.evidence, e.id);
    const seen = new Set<string>([e.name]);
    const aliases: SeedRow<AliasRow>[] = [];
    const addAlias = (name: string, source: AliasRow['source']): void => {
      aliases.push({ entityId: e.id, name, norm: normalizeName(name), source, ord: aliases.length });
    };
    // The canonical name is alias 0, so a lookup by name goes through one table.
    addAlias(e.name, allTexts.some((t) => t.includes(e.name)) ? 'TEXT' : 'COMMON');
    patterns.push({ name: e.name, entityId: e.id });
    for (const alias of e.aliases ?? []) {
      if (!allTexts.some((t) => t.includes(alias))) throw new BuildError(file, e.id, 'alias is not in the text', alias);
      if (seen.has(alias)) continue;
      seen.add(alias);
      addAlias(alias, 'TEXT');
      patterns.push({ name: alias, entityId: e.id });
    }
    for (const name of e.commonNames ?? []) {
      if (seen.has(name)) continue;
      seen.add(name);
      addAlias(name, 'COMMON');
      patterns.push({ name, entityId: e.id });
    }
    data.aliases.push(...aliases);
  }

  for (const ev of annotation.events ?? []) {
    let dateColumns: Pick<
      EventRow,
      'dateText' | 'year' | 'month' | 'day' | 'precision' | 'dateInferred' | 'dateInferredFrom' | 'earliest' | 'latest'
    > = {
      dateText: null, year: null, month: null, day: null, precision: null,
      dateInferred: false, dateInferredFrom: null, earliest: null, latest: null,
    };
    if (ev.date) {
      const d = ev.date;
      if (!text.text.includes(d.text)) throw new BuildError(file, ev.id, 'date text is not in the text', d.text);
      if (d.inferred && !d.inferredFrom) throw new BuildError(file, ev.id, 'an inferred date needs "inferredFrom"', d.text);
      if (!d.inferred && d.inferredFrom) throw new BuildError(file, ev.id, '"inferredFrom" given for a date not marked inferred', d.text);
      let range;
      try {
        range = partialDateRange(d);
      } catch (error) {
        throw new BuildError(file, ev.id, (error as Error).message, d.text);
      }
      dateColumns = {
        dateText: d.text, year: d.year, month: d.month ?? null, day: d.day ?? null, precision: range.precision,
        dateInferred: d.inferred ?? false, dateInferredFrom: d.inferredFrom ?? null, earliest: range.earliest, latest: range.latest,
      };
    }
    data.events.push({
      id: ev.id,
      name: ev.name,
      kind: ev.kind,
      description: ev.description,
      placeId: ev.place ? placeRef(ev.id, ev.place) : null,
      ...dateColumns,
    });
    addEvidence(ev.id, ev.evidence, ev.id);
    ev.participants.forEach((p, ord) => {
      const participant: SeedRow<ParticipantRow> = {
        id: `${ev.id}#${ref(ev.id, p.entity, 'participant', /^(actor|person|place):/)}#${p.role}`,
        eventId: ev.id,
        entityId: p.entity,
        role: p.role,
        ord,
      };
      if (data.participants.some((x) => x.id === participant.id)) throw new BuildError(file, ev.id, `participant ${p.entity} as ${p.role} twice`);
      data.participants.push(participant);
      if (p.evidence) addEvidence(participant.id, p.evidence, `${ev.id} participant ${p.entity}`);
    });
  }

  for (const s of annotation.statements ?? []) {
    ref(s.id, s.speaker, 'speaker', /^(actor|person|place):/);
    if (s.occasion) ref(s.id, s.occasion, 'occasion', /^event:/);
    const spans = addEvidence(s.id, s.evidence, s.id);
    let statementText: string;
    if (s.attribution === 'DIRECT_QUOTE') {
      if (!s.text) throw new BuildError(file, s.id, 'a direct quote needs its verbatim "text"');
      if (!text.text.includes(s.text)) throw new BuildError(file, s.id, 'direct quote text is not in the text', s.text);
      statementText = s.text;
    } else {
      if (s.text) throw new BuildError(file, s.id, 'only direct quotes give "text"; the first evidence quote is the text', s.text);
      statementText = spans[0]!.exact;
    }
    const row: SeedRow<StatementRow> = {
      id: s.id,
      kind: s.kind,
      text: statementText,
      attribution: s.attribution,
      speakerId: s.speaker,
      occasionId: s.occasion ?? null,
      documentId,
      position: Math.min(...spans.map((x) => x.start)),
    };
    data.statements.push(row);
    s.about.forEach((subjectId, ord) => {
      const subject: SeedRow<StatementSubjectRow> = { statementId: s.id, subjectId: ref(s.id, subjectId, 'subject'), ord };
      data.statementSubjects.push(subject);
    });
  }

  for (const r of annotation.relationships ?? []) {
    const slug = (id: string): string => id.slice(id.indexOf(':') + 1);
    const id = `relationship:${slug(r.source)}--${r.type.toLowerCase().replace(/_/g, '-')}--${slug(r.target)}`;
    ref(id, r.source, 'source', /^(actor|person|place):/);
    ref(id, r.target, 'target', /^(actor|person|place):/);
    if (data.relationships.some((x) => x.id === id)) throw new BuildError(file, id, 'relationship stated twice');
    if (r.inferred && !r.inferredFrom) throw new BuildError(file, id, 'an inferred relationship needs "inferredFrom"');
    const row: SeedRow<RelationshipRow> = {
      id,
      type: r.type,
      sourceId: r.source,
      targetId: r.target,
      description: r.description,
      inferred: r.inferred ?? false,
      inferredFrom: r.inferredFrom ?? null,
    };
    data.relationships.push(row);
    addEvidence(id, r.evidence, id);
  }
}
