/**
 * Ingesting documents: parse, check, extract, write (one transaction per
 * document), keeping the name index in step with the store. The command line
 * and the `ingestDocument`/`deleteDocument` mutations are thin triggers over
 * this.
 */
import { normalizeName } from '../graph/normalize.js';
import { CodePointText } from '../graph/spans.js';
import type { GraphStore } from '../store/store.js';
import type { DocumentRow } from '../store/types.js';
import { type ChangeContext, type DeleteDocumentResult, emptyWriteResult, type WriteDocumentResult } from '../store/writes.js';
import { extractDocument, type ExtractInput } from './extract.js';
import { FrontMatterError, parseDocument } from './front-matter.js';
import { contentHash, documentId, EXTRACTOR } from './ids.js';
import { IngestError } from './ingest-error.js';
import { NameIndex } from './name-index.js';

/** A document to ingest: its text (with optional front matter) and metadata that overrides the front matter. */
export interface IngestRequest {
  /** Plain text or Markdown, optionally opening with YAML front matter. */
  text: string;
  id?: string | null;
  title?: string | null;
  url?: string | null;
  /** A publisher's entity id or name. */
  publisher?: string | null;
  /** `YYYY-MM-DD`. */
  publishedOn?: string | null;
}

/** What an ingest did, with the stored document. */
export interface IngestOutcome extends WriteDocumentResult {
  document: DocumentRow;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Ingests documents into a store. Keep one per process: it caches the name index. */
export class Ingestor {
  readonly names: NameIndex;

  constructor(private readonly store: GraphStore) {
    this.names = new NameIndex(store);
  }

  /**
   * Ingest one document.
   * @throws IngestError for an empty text, bad front matter, a bad date or URL, or a seed document's id.
   */
  async ingest(request: IngestRequest, change: ChangeContext): Promise<IngestOutcome> {
    let parsed;
    try {
      parsed = parseDocument(request.text);
    } catch (error) {
      if (error instanceof FrontMatterError) throw new IngestError(error.message, 'text');
      throw error;
    }
    const text = parsed.text;
    if (text.trim().length === 0) throw new IngestError('The document has no text (after its front matter).', 'text');
    const meta = { ...parsed.meta };
    for (const key of ['id', 'title', 'url', 'publisher', 'publishedOn'] as const) {
      const v = request[key];
      if (v !== undefined && v !== null && String(v).length > 0) meta[key] = String(v);
    }
    if (meta.publishedOn && (!DAY.test(meta.publishedOn) || Number.isNaN(Date.parse(`${meta.publishedOn}T00:00:00Z`)))) {
      throw new IngestError(`publishedOn must be a day, YYYY-MM-DD; got "${meta.publishedOn}".`, 'publishedOn');
    }
    if (meta.url) {
      try {
        new URL(meta.url);
      } catch {
        throw new IngestError(`url is not a URL: "${meta.url}".`, 'url');
      }
    }
    if (meta.id && !/^(document:)?[a-z0-9][a-z0-9-]*$/.test(meta.id)) {
      throw new IngestError(`id must look like document:<slug> (lower-case letters, digits, hyphens); got "${meta.id}".`, 'id');
    }
    const hash = contentHash(text);
    let id = documentId({ id: meta.id, url: meta.url, title: meta.title, hash });
    if (!meta.id && !meta.url) {
      // The same text ingested before (or a seed's text) under another title is the same document.
      const same = await this.store.documentsByContentHash(hash);
      const seed = same.find((d) => d.seed);
      if (seed) return { ...emptyWriteResult(seed.id, 'UNCHANGED'), document: seed };
      if (same[0]) id = same[0].id;
    }
    const [existing] = await this.store.documentsByIds([id]);
    if (existing?.seed) throw new IngestError(`${id} is a seed document; it changes through seeds/, not ingest.`, 'id');

    const cpText = new CodePointText(text);
    const input: ExtractInput = {
      document: {
        id,
        title: meta.title || id,
        text,
        length: cpText.length,
        url: meta.url ?? null,
        publishedOn: meta.publishedOn ?? null,
        contentHash: hash,
        extractor: EXTRACTOR,
        ingestedAt: change.at,
      },
      publisher: await this.resolvePublisher(meta.publisher),
    };
    if (existing && existing.contentHash === hash && existing.extractor === EXTRACTOR) {
      // Same text, same extractor: nothing to write; report what is stored.
      const [mentions, statements, dates] = await Promise.all([
        this.store.listCount({ list: 'mentions', document: id }),
        this.store.listCount({ list: 'statements', document: id }),
        this.store.dateMentionsByDocumentIds([id]),
      ]);
      return { ...emptyWriteResult(id, 'UNCHANGED'), mentions, statements, dates: dates.length, document: existing };
    }
    await this.names.refresh();
    const before = this.names.graphVersion;
    const batch = extractDocument(input, this.names);
    const result = await this.store.writeDocument(batch, change);
    const after = await this.store.graphVersion();
    const created = await this.store.entitiesByIds(result.entitiesCreated);
    const aliases = await this.store.aliasesByEntityIds(result.entitiesCreated);
    this.names.remember(
      created.map((e) => ({ id: e.id, type: e.type, names: aliases.filter((a) => a.entityId === e.id).map((a) => a.name) })),
      after,
      after === before + 1 ? before : -1,
    );
    const [document] = await this.store.documentsByIds([id]);
    return { ...result, document: document! };
  }

  /**
   * Delete an ingested document and what only it supported.
   * @throws IngestError for a seed document. Null when there is no such document.
   */
  async delete(id: string, change: ChangeContext): Promise<DeleteDocumentResult | null> {
    const [existing] = await this.store.documentsByIds([id]);
    if (!existing) return null;
    if (existing.seed) throw new IngestError(`${id} is a seed document; it changes through seeds/, not deleteDocument.`, 'id');
    return this.store.deleteDocument(id, change);
  }

  private async resolvePublisher(publisher: string | undefined): Promise<ExtractInput['publisher']> {
    if (!publisher) return null;
    if (/^(actor|person|place):/.test(publisher)) {
      const [entity] = await this.store.entitiesByIds([publisher]);
      if (!entity) throw new IngestError(`publisher ${publisher} is not an entity of the graph.`, 'publisher');
      return { entityId: entity.id };
    }
    const [alias] = await this.store.aliasesByNorms([normalizeName(publisher)]);
    return alias ? { entityId: alias.entityId } : { name: publisher };
  }
}

