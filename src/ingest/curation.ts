/**
 * Curation: a person corrects what the extractor got wrong. Confirm or reject
 * a candidate entity, merge two entities, add or correct a statement or a
 * relationship with quotes as evidence, checked against the document's text
 * exactly like the seed annotations (src/build/resolve-quote.ts). Every change
 * is one store transaction with an audit entry naming who made it.
 */
import type { QuoteSpec } from '../build/annotation.js';
import { BuildError } from '../build/build-error.js';
import { resolveQuote } from '../build/resolve-quote.js';
import { CodePointText, type Span } from '../graph/spans.js';
import type { GraphStore } from '../store/store.js';
import type { EntityRow, RelationshipRow, StatementRow } from '../store/types.js';
import type { ChangeContext, MergeResult } from '../store/writes.js';
import { documentSlug } from './ids.js';
import { IngestError } from './ingest-error.js';

/** A quote as the API takes it (the seed annotation's `QuoteSpec`). */
export interface QuoteInput {
  quote: string;
  occurrence?: number | null;
  within?: string | null;
}

/** A statement to add. */
export interface AddStatement {
  document: string;
  kind: string;
  attribution: StatementRow['attribution'];
  speaker?: string | null;
  text?: string | null;
  about?: readonly string[] | null;
  occasion?: string | null;
  evidence: readonly QuoteInput[];
}

/** Corrections to a statement: `undefined` keeps a field; `null` clears `speaker` or `occasion`. */
export interface CorrectStatement {
  kind?: string | null;
  attribution?: StatementRow['attribution'] | null;
  speaker?: string | null;
  text?: string | null;
  about?: readonly string[] | null;
  occasion?: string | null;
  evidence?: readonly QuoteInput[] | null;
}

/** A relationship to add. */
export interface AddRelationship {
  type: string;
  source: string;
  target: string;
  description: string;
  document: string;
  evidence: readonly QuoteInput[];
}

/** Corrections to a relationship; `undefined` keeps a field. */
export interface CorrectRelationship {
  type?: string | null;
  source?: string | null;
  target?: string | null;
  description?: string | null;
  document?: string | null;
  evidence?: readonly QuoteInput[] | null;
}

const slugOf = (id: string): string => id.slice(id.indexOf(':') + 1);

/** The readable id of a relationship, as the seed build makes it. */
export function relationshipId(type: string, source: string, target: string): string {
  return `relationship:${slugOf(source)}--${type.toLowerCase().replace(/_/g, '-')}--${slugOf(target)}`;
}

/** Curation operations over a store. */
export class Curator {
  constructor(private readonly store: GraphStore) {}

  /** The entity an id names now, following a merge's redirect. */
  private async entity(id: string, field: string): Promise<EntityRow> {
    const [row] = await this.store.entitiesByIds([id]);
    if (row) return row;
    const [redirect] = await this.store.redirectsByIds([id]);
    if (redirect) {
      const [target] = await this.store.entitiesByIds([redirect.toId]);
      if (target) return target;
    }
    throw new IngestError(`${field}: no entity has the id ${id}.`, field);
  }

  private async subject(id: string): Promise<string> {
    if (id.startsWith('event:')) {
      const [event] = await this.store.eventsByIds([id]);
      if (!event) throw new IngestError(`about: no event has the id ${id}.`, 'about');
      return id;
    }
    return (await this.entity(id, 'about')).id;
  }

  private async occasion(id: string): Promise<string> {
    const [event] = await this.store.eventsByIds([id]);
    if (!event) throw new IngestError(`occasion: no event has the id ${id}.`, 'occasion');
    return id;
  }

  /** Resolve quotes to spans of a document, as the seed build does. */
  private async spans(documentId: string, quotes: readonly QuoteInput[], fact: string): Promise<{ spans: Span[]; text: CodePointText }> {
    const [doc] = await this.store.documentsByIds([documentId]);
    if (!doc) throw new IngestError(`document: no document has the id ${documentId}.`, 'document');
    if (quotes.length === 0) throw new IngestError('evidence: give at least one quote.', 'evidence');
    const text = new CodePointText(doc.text);
    const spans = quotes.map((q) => {
      const spec: QuoteSpec =
        q.occurrence == null && q.within == null
          ? q.quote
          : { quote: q.quote, ...(q.occurrence != null ? { occurrence: q.occurrence } : {}), ...(q.within != null ? { within: q.within } : {}) };
      try {
        return resolveQuote(spec, { documentId, text, file: documentId, fact });
      } catch (error) {
        if (error instanceof BuildError) throw new IngestError(`evidence: ${error.problem} (quote: ${JSON.stringify(q.quote)}).`, 'evidence');
        throw error;
      }
    });
    return { spans, text };
  }

  /** Confirm a candidate. */
  async confirmEntity(id: string, change: ChangeContext): Promise<EntityRow> {
    const entity = await this.entity(id, 'id');
    return (await this.store.confirmEntity(entity.id, change))!;
  }

  /** Reject a candidate; returns the names that will not be proposed again. */
  async rejectEntity(id: string, change: ChangeContext): Promise<{ id: string; rejectedNames: string[] }> {
    const entity = await this.entity(id, 'id');
    if (entity.seed) throw new IngestError(`${entity.id} is curated in seeds/; change the annotation instead of rejecting it.`, 'id');
    const names = (await this.store.aliasesByEntityIds([entity.id])).map((a) => a.name);
    await this.store.rejectEntity(entity.id, change);
    return { id: entity.id, rejectedNames: names };
  }

  /** Merge `fromId` into `intoId`. */
  async mergeEntities(fromId: string, intoId: string, change: ChangeContext): Promise<MergeResult> {
    const [fromRow] = await this.store.entitiesByIds([fromId]);
    if (!fromRow) throw new IngestError(`from: no entity has the id ${fromId}${(await this.store.redirectsByIds([fromId])).length ? ' (it was merged already)' : ''}.`, 'from');
    if (fromRow.seed) throw new IngestError(`from: ${fromId} is curated in seeds/ and would come back with the next seed build; merge the other way, or change the annotation.`, 'from');
    const into = await this.entity(intoId, 'into');
    if (into.id === fromRow.id) throw new IngestError('from and into are the same entity.', 'into');
    return this.store.mergeEntities(fromRow.id, into.id, change);
  }

  /** Add a curated statement. */
  async addStatement(input: AddStatement, change: ChangeContext): Promise<StatementRow> {
    const { spans, text } = await this.spans(input.document, input.evidence, 'statement');
    const id = `statement:${documentSlug(input.document)}:${spans[0]!.start}`;
    const [existing] = await this.store.statementsByIds([id]);
    if (existing?.method === 'CURATED') throw new IngestError(`${id} already exists and is curated; correct it with correctStatement.`, 'evidence');
    const row = await this.statementRow(id, input.document, input, spans, text);
    const subjectIds = await Promise.all((input.about ?? []).map((s) => this.subject(s)));
    return (await this.store.saveStatement({ row, subjectIds, evidence: spans }, change)).row;
  }

  /** Correct a statement; it becomes curated. */
  async correctStatement(id: string, input: CorrectStatement, change: ChangeContext): Promise<StatementRow> {
    const [old] = await this.store.statementsByIds([id]);
    if (!old) throw new IngestError(`id: no statement has the id ${id}.`, 'id');
    let spans: Span[];
    let text: CodePointText;
    if (input.evidence) ({ spans, text } = await this.spans(old.documentId, input.evidence, id));
    else {
      const [doc] = await this.store.documentsByIds([old.documentId]);
      text = new CodePointText(doc!.text);
      spans = (await this.store.evidenceByOwnerIds([id])).map(({ documentId, start, end, exact, prefix, suffix }) => ({ documentId, start, end, exact, prefix, suffix }));
    }
    const merged: AddStatement = {
      document: old.documentId,
      kind: input.kind ?? old.kind,
      attribution: input.attribution ?? old.attribution,
      speaker: input.speaker === undefined ? old.speakerId : input.speaker,
      text: input.text ?? (old.attribution === 'DIRECT_QUOTE' && (input.attribution ?? old.attribution) === 'DIRECT_QUOTE' ? old.text : null),
      occasion: input.occasion === undefined ? old.occasionId : input.occasion,
      evidence: [],
    };
    const row = await this.statementRow(id, old.documentId, merged, spans, text);
    const subjectIds = input.about
      ? await Promise.all(input.about.map((s) => this.subject(s)))
      : (await this.store.subjectsByStatementIds([id])).map((s) => s.subjectId);
    return (await this.store.saveStatement({ row, subjectIds, evidence: spans }, change)).row;
  }

  private async statementRow(id: string, documentId: string, input: AddStatement, spans: Span[], text: CodePointText) {
    const speakerId = input.speaker ? (await this.entity(input.speaker, 'speaker')).id : null;
    const occasionId = input.occasion ? await this.occasion(input.occasion) : null;
    let statementText: string;
    if (input.attribution === 'DIRECT_QUOTE') {
      if (!input.text) throw new IngestError('text: a direct quote needs its verbatim words.', 'text');
      if (!text.text.includes(input.text)) throw new IngestError(`text: the quote is not in the document's text: ${JSON.stringify(input.text)}.`, 'text');
      statementText = input.text;
    } else {
      if (input.text) throw new IngestError('text: only direct quotes give text; for others the first evidence quote is the text.', 'text');
      statementText = spans[0]!.exact;
    }
    const row: Omit<StatementRow, 'seed' | 'method' | 'confidence' | 'extractor'> = {
      id,
      kind: input.kind,
      text: statementText,
      attribution: input.attribution,
      speakerId,
      occasionId,
      documentId,
      position: Math.min(...spans.map((s) => s.start)),
    };
    return row;
  }

  /** Add a curated relationship. */
  async addRelationship(input: AddRelationship, change: ChangeContext): Promise<RelationshipRow> {
    const source = await this.entity(input.source, 'source');
    const target = await this.entity(input.target, 'target');
    const id = relationshipId(input.type, source.id, target.id);
    const [existing] = await this.store.relationshipsByIds([id]);
    if (existing) throw new IngestError(`${id} already exists; correct it with correctRelationship.`, 'type');
    const { spans } = await this.spans(input.document, input.evidence, id);
    const row = { id, type: input.type, sourceId: source.id, targetId: target.id, description: input.description, inferred: false, inferredFrom: null };
    return (await this.store.saveRelationship({ row, evidence: spans }, change)).row;
  }

  /** Correct a relationship; it becomes curated (its id stays). */
  async correctRelationship(id: string, input: CorrectRelationship, change: ChangeContext): Promise<RelationshipRow> {
    const [old] = await this.store.relationshipsByIds([id]);
    if (!old) throw new IngestError(`id: no relationship has the id ${id}.`, 'id');
    let spans: Span[];
    if (input.evidence) {
      if (!input.document) throw new IngestError('document: give the document the new evidence quotes come from.', 'document');
      spans = (await this.spans(input.document, input.evidence, id)).spans;
    } else {
      spans = (await this.store.evidenceByOwnerIds([id])).map(({ documentId, start, end, exact, prefix, suffix }) => ({ documentId, start, end, exact, prefix, suffix }));
    }
    const row = {
      id,
      type: input.type ?? old.type,
      sourceId: input.source ? (await this.entity(input.source, 'source')).id : old.sourceId,
      targetId: input.target ? (await this.entity(input.target, 'target')).id : old.targetId,
      description: input.description ?? old.description,
      inferred: old.inferred,
      inferredFrom: old.inferredFrom,
    };
    return (await this.store.saveRelationship({ row, evidence: spans }, change)).row;
  }
}
