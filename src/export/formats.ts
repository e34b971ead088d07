/**
 * The export formats, each an async generator of text chunks (one per page of
 * rows), so that a file of any size streams with constant memory:
 *
 * - `csv`, `jsonl`: one table (entities, relationships, statements, events, mentions);
 * - `graphml`: the whole graph for Gephi or yEd: entities and events as nodes;
 *   relationships, statements (speaker → each subject) and participations
 *   (entity → event) as directed edges;
 * - `jsonld`: the whole graph as JSON-LD with schema.org types, each fact's
 *   evidence (and each mention) a W3C Web Annotation with a
 *   TextPositionSelector and a TextQuoteSelector.
 */
import { stringify } from 'csv-stringify/sync';

import type { GraphReader } from '../store/store.js';
import { CSV_COLUMNS, type ExportRecord, type ExportSpan, pagesOf, recordPages, TABLE_TYPES, type TableType } from './records.js';

/** Formats of one table. */
export const TABLE_FORMATS = ['csv', 'jsonl'] as const;
/** Formats of the whole graph. */
export const GRAPH_FORMATS = ['graphml', 'jsonld'] as const;

/** What to export: a table in CSV or JSON Lines, or the graph in GraphML or JSON-LD. */
export type ExportRequest =
  | { format: (typeof TABLE_FORMATS)[number]; type: TableType }
  | { format: (typeof GRAPH_FORMATS)[number]; type: 'graph' };

/** Media types by format. */
export const CONTENT_TYPES: Record<ExportRequest['format'], string> = {
  csv: 'text/csv; charset=utf-8',
  jsonl: 'application/jsonl; charset=utf-8',
  graphml: 'application/graphml+xml; charset=utf-8',
  jsonld: 'application/ld+json; charset=utf-8',
};

/**
 * The export request a type and format name, or a message saying what is allowed.
 * @example parseExportRequest('entities', 'csv') // { format: 'csv', type: 'entities' }
 */
export function parseExportRequest(type: string, format: string): ExportRequest | string {
  if (![...TABLE_FORMATS, ...GRAPH_FORMATS].includes(format as never)) {
    return `Unknown format "${format}": use ${TABLE_FORMATS.join(' or ')} for a table, ${GRAPH_FORMATS.join(' or ')} for the whole graph.`;
  }
  if (type === 'graph') {
    if ((GRAPH_FORMATS as readonly string[]).includes(format)) return { type: 'graph', format: format as 'graphml' | 'jsonld' };
    return `The graph exports as ${GRAPH_FORMATS.join(' or ')}, not "${format}".`;
  }
  if (!(TABLE_TYPES as readonly string[]).includes(type)) {
    return `Unknown export "${type}": use one of ${[...TABLE_TYPES, 'graph'].join(', ')}.`;
  }
  if (!(TABLE_FORMATS as readonly string[]).includes(format)) {
    return `A table exports as ${TABLE_FORMATS.join(' or ')}, not "${format}"; the whole graph exports as ${GRAPH_FORMATS.join(' or ')}.`;
  }
  return { type: type as TableType, format: format as 'csv' | 'jsonl' };
}

/** The chunks of an export, in order. */
export function exportChunks(store: GraphReader, request: ExportRequest): AsyncGenerator<string> {
  switch (request.format) {
    case 'csv':
      return csvChunks(store, request.type);
    case 'jsonl':
      return jsonlChunks(store, request.type);
    case 'graphml':
      return graphmlChunks(store);
    case 'jsonld':
      return jsonldChunks(store);
  }
}

async function* csvChunks(store: GraphReader, type: TableType): AsyncGenerator<string> {
  const columns = CSV_COLUMNS[type];
  yield stringify([columns.map(([name]) => name)]);
  for await (const records of recordPages(store, type)) {
    yield stringify(records.map((r) => columns.map(([, get]) => get(r))), { cast: { boolean: (b) => (b ? 'true' : 'false') } });
  }
}

async function* jsonlChunks(store: GraphReader, type: TableType): AsyncGenerator<string> {
  for await (const records of recordPages(store, type)) {
    yield records.map((r) => `${JSON.stringify(r)}\n`).join('');
  }
}

// ---------------------------------------------------------------- GraphML

/** Text made safe for XML 1.0: escaped, characters XML cannot hold dropped. */
export function xmlText(value: unknown): string {
  return String(value)
    .replace(/[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const GRAPHML_KEYS: [id: string, on: 'node' | 'edge', name: string, type: string][] = [
  ['label', 'node', 'label', 'string'],
  ['type', 'node', 'type', 'string'],
  ['kind', 'node', 'kind', 'string'],
  ['description', 'node', 'description', 'string'],
  ['mentions', 'node', 'mentionCount', 'int'],
  ['date', 'node', 'date', 'string'],
  ['precision', 'node', 'datePrecision', 'string'],
  ['elabel', 'edge', 'label', 'string'],
  ['etype', 'edge', 'type', 'string'],
  ['link', 'edge', 'link', 'string'],
  ['evidence', 'edge', 'evidence', 'string'],
];

function data(values: Record<string, unknown>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `<data key="${k}">${xmlText(v)}</data>`)
    .join('');
}

const firstExact = (r: ExportRecord): string | null => (r.evidence as ExportSpan[])[0]?.exact ?? null;

async function* graphmlChunks(store: GraphReader): AsyncGenerator<string> {
  yield '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n' +
    GRAPHML_KEYS.map(([id, on, name, type]) => `<key id="${id}" for="${on}" attr.name="${name}" attr.type="${type}"/>\n`).join('') +
    '<graph id="knowledge-graph" edgedefault="directed">\n';
  for await (const rows of pagesOf(store, { list: 'entities' })) {
    yield rows
      .map((e) => `<node id="${xmlText(e.id)}">${data({ label: e.name, type: e.type, kind: e.kind, description: e.description, mentions: e.mentionCount })}</node>\n`)
      .join('');
  }
  for await (const rows of pagesOf(store, { list: 'events' })) {
    yield rows
      .map((e) => `<node id="${xmlText(e.id)}">${data({ label: e.name, type: 'EVENT', kind: e.kind, description: e.description, date: e.dateText, precision: e.precision })}</node>\n`)
      .join('');
  }
  const edge = (id: string, source: string, target: string, values: Record<string, unknown>): string =>
    `<edge id="${xmlText(id)}" source="${xmlText(source)}" target="${xmlText(target)}">${data(values)}</edge>\n`;
  for await (const records of recordPages(store, 'relationships')) {
    yield records
      .map((r) => edge(r.id, r.source as string, r.target as string, { elabel: r.type, etype: 'RELATIONSHIP', link: r.id, evidence: firstExact(r) }))
      .join('');
  }
  for await (const records of recordPages(store, 'statements')) {
    yield records
      .flatMap((s) =>
        (s.about as string[]).map((subject) =>
          edge(`${s.id}|${subject}`, s.speaker as string, subject, { elabel: s.kind, etype: 'STATEMENT', link: s.id, evidence: firstExact(s) }),
        ),
      )
      .join('');
  }
  for await (const records of recordPages(store, 'events')) {
    yield records
      .flatMap((e) =>
        (e.participants as { entity: string; role: string }[]).map((p) =>
          edge(`${e.id}|${p.entity}|${p.role}`, p.entity, e.id, { elabel: p.role, etype: 'PARTICIPATION', link: e.id }),
        ),
      )
      .join('');
  }
  yield '</graph>\n</graphml>\n';
}

// ---------------------------------------------------------------- JSON-LD

const ID_PREFIXES = ['actor', 'person', 'place', 'event', 'statement', 'relationship', 'document', 'mention'];

/** The JSON-LD context: schema.org as vocabulary, W3C Web Annotation as `oa:`, our terms as `kg:`, our ids as IRIs. */
export const JSONLD_CONTEXT = {
  '@vocab': 'https://schema.org/',
  oa: 'http://www.w3.org/ns/oa#',
  kg: 'urn:conflict-kg:vocab:',
  ...Object.fromEntries(ID_PREFIXES.map((p) => [p, `urn:conflict-kg:${p}:`])),
};

const ACTOR_TYPES: Record<string, string> = {
  STATE: 'Country',
  GOVERNMENT: 'GovernmentOrganization',
  MEDIA_ORGANIZATION: 'NewsMediaOrganization',
};

const ref = (id: string | null | undefined): { '@id': string } | null => (id ? { '@id': id } : null);

/** A fact's evidence (or a mention) as a Web Annotation with position and quote selectors. */
function annotation(id: string, body: string, span: ExportSpan, motivation: 'oa:describing' | 'oa:identifying'): object {
  return {
    '@id': id,
    '@type': 'oa:Annotation',
    'oa:motivatedBy': { '@id': motivation },
    'oa:hasBody': { '@id': body },
    'oa:hasTarget': {
      'oa:hasSource': { '@id': span.document },
      'oa:hasSelector': [
        { '@type': 'oa:TextPositionSelector', 'oa:start': span.start, 'oa:end': span.end },
        { '@type': 'oa:TextQuoteSelector', 'oa:exact': span.exact, 'oa:prefix': span.prefix, 'oa:suffix': span.suffix },
      ],
    },
  };
}

function withEvidence(item: object, r: ExportRecord): object[] {
  return [item, ...(r.evidence as ExportSpan[]).map((span, i) => annotation(`${r.id}#evidence-${i}`, r.id, span, 'oa:describing'))];
}

function entityItem(e: ExportRecord): object {
  const type = e.type === 'PERSON' ? 'Person' : e.type === 'PLACE' ? (e.kind === 'COUNTRY' ? 'Country' : 'Place') : (ACTOR_TYPES[e.kind as string] ?? 'Organization');
  return {
    '@id': e.id,
    '@type': type,
    name: e.name,
    alternateName: e.aliases,
    description: e.description,
    ...(e.title ? { jobTitle: e.title } : {}),
    'kg:entityType': e.type,
    ...(e.kind ? { 'kg:kind': e.kind } : {}),
    'kg:mentionCount': e.mentionCount,
  };
}

function eventItem(e: ExportRecord): object {
  const date = e.date as { text: string; year: number; month: number | null; day: number | null; precision: string; inferred: boolean } | null;
  // ISO 8601 with the precision the text gives: "2013", "2022-03", "2023-06-30".
  const iso = date ? [String(date.year).padStart(4, '0'), date.month, date.day].filter((x) => x != null).map((x, i) => (i === 0 ? x : String(x).padStart(2, '0'))).join('-') : null;
  return {
    '@id': e.id,
    '@type': 'Event',
    name: e.name,
    description: e.description,
    ...(iso ? { startDate: iso, 'kg:dateText': date!.text, 'kg:datePrecision': date!.precision, 'kg:dateInferred': date!.inferred } : {}),
    ...(e.place ? { location: ref(e.place as string) } : {}),
    'kg:eventKind': e.kind,
    'kg:participant': (e.participants as { entity: string; role: string }[]).map((p) => ({ 'kg:entity': ref(p.entity), 'kg:role': p.role })),
  };
}

function statementItem(s: ExportRecord): object {
  return {
    '@id': s.id,
    '@type': 'Claim',
    text: s.text,
    author: ref(s.speaker as string),
    about: (s.about as string[]).map(ref),
    isPartOf: ref(s.document as string),
    'kg:statementKind': s.kind,
    'kg:attribution': s.attribution,
    ...(s.occasion ? { 'kg:occasion': ref(s.occasion as string) } : {}),
  };
}

function relationshipItem(r: ExportRecord): object {
  return {
    '@id': r.id,
    '@type': 'kg:Relationship',
    'kg:relationshipType': r.type,
    'kg:source': ref(r.source as string),
    'kg:target': ref(r.target as string),
    description: r.description,
    'kg:inferred': r.inferred,
    ...(r.inferredFrom ? { 'kg:inferredFrom': r.inferredFrom } : {}),
  };
}

async function* jsonldChunks(store: GraphReader): AsyncGenerator<string> {
  yield `{"@context":${JSON.stringify(JSONLD_CONTEXT)},"@graph":[\n`;
  let first = true;
  const items = (list: object[]): string => {
    const text = list.map((item) => JSON.stringify(item)).join(',\n');
    if (text.length === 0) return '';
    const out = (first ? '' : ',\n') + text;
    first = false;
    return out;
  };
  for await (const docs of pagesOf(store, { list: 'documents' })) {
    yield items(
      docs.map((d) => ({
        '@id': d.id,
        '@type': 'NewsArticle',
        headline: d.title,
        text: d.text,
        ...(d.url ? { url: d.url } : {}),
        ...(d.publishedOn ? { datePublished: d.publishedOn } : {}),
        ...(d.publisherId ? { publisher: ref(d.publisherId) } : {}),
      })),
    );
  }
  for await (const records of recordPages(store, 'entities')) yield items(records.flatMap((e) => withEvidence(entityItem(e), e)));
  for await (const records of recordPages(store, 'events')) yield items(records.flatMap((e) => withEvidence(eventItem(e), e)));
  for await (const records of recordPages(store, 'statements')) yield items(records.flatMap((s) => withEvidence(statementItem(s), s)));
  for await (const records of recordPages(store, 'relationships')) yield items(records.flatMap((r) => withEvidence(relationshipItem(r), r)));
  for await (const records of recordPages(store, 'mentions')) {
    yield items(records.map((m) => annotation(m.id, m.entity as string, m as unknown as ExportSpan, 'oa:identifying')));
  }
  yield '\n]}\n';
}
