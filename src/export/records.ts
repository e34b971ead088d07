/**
 * Export records: the rows of each list with what belongs to them (aliases,
 * evidence, subjects, participants), read from the store one page at a time
 * with batched lookups, and their flat CSV form.
 */
import type { ListPosition, ListQuery, Page } from '../store/lists.js';
import type { GraphReader, RowOf } from '../store/store.js';
import type { EvidenceRow, SpanRow } from '../store/types.js';

/** The lists that can be exported as tables. */
export const TABLE_TYPES = ['entities', 'relationships', 'statements', 'events', 'mentions'] as const;
/** A list that can be exported as a table. */
export type TableType = (typeof TABLE_TYPES)[number];

/** Rows read per store call. */
export const EXPORT_PAGE_SIZE = 1000;

/** A span as exported: document, code point offsets (end exclusive), quote. */
export interface ExportSpan {
  document: string;
  start: number;
  end: number;
  exact: string;
  prefix: string;
  suffix: string;
}

/** An exported record: plain JSON. */
export type ExportRecord = Record<string, unknown> & { id: string };

/** Every row of a list, page by page (keyset paging, so each page costs the same). */
export async function* pagesOf<Q extends ListQuery>(store: GraphReader, query: Q, pageSize = EXPORT_PAGE_SIZE): AsyncGenerator<RowOf<Q>[]> {
  let after: ListPosition | null = null;
  for (;;) {
    const page: Page<RowOf<Q>> = await store.listPage(query, { first: pageSize, after });
    if (page.rows.length > 0) yield page.rows;
    if (!page.hasNextPage) return;
    after = page.positions[page.positions.length - 1]!;
  }
}

const span = (e: SpanRow): ExportSpan => ({ document: e.documentId, start: e.start, end: e.end, exact: e.exact, prefix: e.prefix, suffix: e.suffix });

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    let list = out.get(k);
    if (!list) out.set(k, (list = []));
    list.push(row);
  }
  return out;
}

async function evidenceOf(store: GraphReader, ids: string[]): Promise<Map<string, EvidenceRow[]>> {
  return groupBy(await store.evidenceByOwnerIds(ids), (e) => e.ownerId);
}

/** The records of one type, a page at a time. */
export async function* recordPages(store: GraphReader, type: TableType): AsyncGenerator<ExportRecord[]> {
  switch (type) {
    case 'entities':
      for await (const rows of pagesOf(store, { list: 'entities' })) {
        const ids = rows.map((r) => r.id);
        const [aliases, evidence] = await Promise.all([store.aliasesByEntityIds(ids), evidenceOf(store, ids)]);
        const names = groupBy(aliases, (a) => a.entityId);
        yield rows.map((e) => ({
          id: e.id,
          type: e.type,
          kind: e.kind,
          name: e.name,
          title: e.title,
          description: e.description,
          aliases: (names.get(e.id) ?? []).map((a) => a.name).filter((n) => n !== e.name),
          mentionCount: e.mentionCount,
          degree: e.degree,
          evidence: (evidence.get(e.id) ?? []).map(span),
        }));
      }
      return;
    case 'relationships':
      for await (const rows of pagesOf(store, { list: 'relationships' })) {
        const evidence = await evidenceOf(store, rows.map((r) => r.id));
        yield rows.map((r) => ({
          id: r.id,
          type: r.type,
          source: r.sourceId,
          target: r.targetId,
          description: r.description,
          inferred: r.inferred,
          inferredFrom: r.inferredFrom,
          evidence: (evidence.get(r.id) ?? []).map(span),
        }));
      }
      return;
    case 'statements':
      for await (const rows of pagesOf(store, { list: 'statements' })) {
        const ids = rows.map((r) => r.id);
        const [subjects, evidence] = await Promise.all([store.subjectsByStatementIds(ids), evidenceOf(store, ids)]);
        const about = groupBy(subjects, (s) => s.statementId);
        yield rows.map((s) => ({
          id: s.id,
          kind: s.kind,
          attribution: s.attribution,
          direct: s.attribution === 'DIRECT_QUOTE',
          speaker: s.speakerId,
          about: (about.get(s.id) ?? []).map((x) => x.subjectId),
          occasion: s.occasionId,
          document: s.documentId,
          text: s.text,
          evidence: (evidence.get(s.id) ?? []).map(span),
        }));
      }
      return;
    case 'events':
      for await (const rows of pagesOf(store, { list: 'events' })) {
        const ids = rows.map((r) => r.id);
        const [participants, evidence] = await Promise.all([store.participantsByEventIds(ids), evidenceOf(store, ids)]);
        const byEvent = groupBy(participants, (p) => p.eventId);
        yield rows.map((e) => ({
          id: e.id,
          name: e.name,
          kind: e.kind,
          description: e.description,
          date: e.precision
            ? {
                text: e.dateText,
                year: e.year,
                month: e.month,
                day: e.day,
                precision: e.precision,
                inferred: e.dateInferred,
                inferredFrom: e.dateInferredFrom,
                earliest: e.earliest,
                latest: e.latest,
              }
            : null,
          place: e.placeId,
          participants: (byEvent.get(e.id) ?? []).map((p) => ({ entity: p.entityId, role: p.role })),
          evidence: (evidence.get(e.id) ?? []).map(span),
        }));
      }
      return;
    case 'mentions':
      for await (const rows of pagesOf(store, { list: 'mentions' })) {
        yield rows.map((m) => ({ id: m.id, entity: m.entityId, ...span(m) }));
      }
      return;
  }
}

type Cell = string | number | boolean | null;
const first = (r: ExportRecord): ExportSpan | undefined => (r.evidence as ExportSpan[] | undefined)?.[0];
const evidenceColumns: [string, (r: ExportRecord) => Cell][] = [
  ['evidence_count', (r) => (r.evidence as ExportSpan[]).length],
  ['evidence_document', (r) => first(r)?.document ?? null],
  ['evidence_start', (r) => first(r)?.start ?? null],
  ['evidence_end', (r) => first(r)?.end ?? null],
  ['evidence_exact', (r) => first(r)?.exact ?? null],
];
const field = (name: string) => (r: ExportRecord): Cell => (r[name] ?? null) as Cell;
const joined = (name: string) => (r: ExportRecord): Cell => (r[name] as string[]).join(' | ');
const dateField = (name: string) => (r: ExportRecord): Cell => ((r.date as Record<string, Cell> | null)?.[name] ?? null);

/**
 * The CSV columns of each type: a header and how to get the cell. Lists are
 * joined with " | "; only the first evidence span gets columns (JSON Lines
 * keeps every span).
 */
export const CSV_COLUMNS: Record<TableType, [string, (r: ExportRecord) => Cell][]> = {
  entities: [
    ['id', field('id')],
    ['type', field('type')],
    ['kind', field('kind')],
    ['name', field('name')],
    ['title', field('title')],
    ['description', field('description')],
    ['aliases', joined('aliases')],
    ['mention_count', field('mentionCount')],
    ['degree', field('degree')],
    ...evidenceColumns,
  ],
  relationships: [
    ['id', field('id')],
    ['type', field('type')],
    ['source', field('source')],
    ['target', field('target')],
    ['description', field('description')],
    ['inferred', field('inferred')],
    ['inferred_from', field('inferredFrom')],
    ...evidenceColumns,
  ],
  statements: [
    ['id', field('id')],
    ['kind', field('kind')],
    ['attribution', field('attribution')],
    ['direct', field('direct')],
    ['speaker', field('speaker')],
    ['about', joined('about')],
    ['occasion', field('occasion')],
    ['document', field('document')],
    ['text', field('text')],
    ...evidenceColumns,
  ],
  events: [
    ['id', field('id')],
    ['name', field('name')],
    ['kind', field('kind')],
    ['description', field('description')],
    ['date_text', dateField('text')],
    ['year', dateField('year')],
    ['month', dateField('month')],
    ['day', dateField('day')],
    ['precision', dateField('precision')],
    ['date_inferred', dateField('inferred')],
    ['earliest', dateField('earliest')],
    ['latest', dateField('latest')],
    ['place', field('place')],
    ['participants', (r) => (r.participants as { entity: string; role: string }[]).map((p) => `${p.entity}:${p.role}`).join(' | ')],
    ...evidenceColumns,
  ],
  mentions: [
    ['id', field('id')],
    ['entity', field('entity')],
    ['document', field('document')],
    ['start', field('start')],
    ['end', field('end')],
    ['exact', field('exact')],
    ['prefix', field('prefix')],
    ['suffix', field('suffix')],
  ],
};
