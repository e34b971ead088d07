/**
 * Aggregates counted by the database: the statement matrix (who accuses,
 * requests, promises, assesses whom), co-mentions (entities named in the
 * same sentence, with the sentences as evidence) and graph statistics.
 */
import { CodePointText } from '../graph/spans.js';
import type { Loaders } from '../loaders/loaders.js';
import type { StatementMatrixRow, StatsRow } from '../store/analyst-types.js';
import type { SpanRow } from '../store/types.js';
import { cached } from './cache.js';

/** Sentences kept as evidence per co-mentioned pair. */
export const CO_MENTION_EVIDENCE = 5;

/** A pair of entities mentioned in the same sentences. */
export interface CoMentionModel {
  aId: string;
  bId: string;
  count: number;
  evidence: SpanRow[];
}

/** Statement counts per speaker, subject and kind, most first (cached). */
export function statementMatrix(loaders: Loaders, kinds: readonly string[] | null, first: number): Promise<StatementMatrixRow[]> {
  const key = `matrix:${[...(kinds ?? [])].sort().join(',')}:${first}`;
  return cached(loaders, key, () => loaders.store.statementMatrix(kinds, first));
}

/** The `first` most co-mentioned pairs, with up to `CO_MENTION_EVIDENCE` sentences each (cached). */
export function coMentions(loaders: Loaders, first: number): Promise<CoMentionModel[]> {
  return cached(loaders, `comentions:${first}`, async () => {
    const pairs = await loaders.store.coMentions(first);
    const sentences = pairs.length > 0 ? await loaders.store.coMentionSentences(pairs, CO_MENTION_EVIDENCE) : [];
    const docs = new Map<string, CodePointText>();
    for (const doc of await loaders.store.documentsByIds([...new Set(sentences.map((s) => s.documentId))])) {
      docs.set(doc.id, new CodePointText(doc.text));
    }
    const evidence = new Map<string, SpanRow[]>();
    for (const s of sentences) {
      const text = docs.get(s.documentId);
      if (!text) continue;
      const key = `${s.aId}|${s.bId}`;
      let list = evidence.get(key);
      if (!list) evidence.set(key, (list = []));
      list.push({
        documentId: s.documentId,
        start: s.start,
        end: s.end,
        exact: text.slice(s.start, s.end),
        prefix: text.slice(Math.max(0, s.start - 32), s.start),
        suffix: text.slice(s.end, Math.min(text.length, s.end + 32)),
      });
    }
    return pairs.map((p) => ({ ...p, evidence: evidence.get(`${p.aId}|${p.bId}`) ?? [] }));
  });
}

/** Counts of the graph's facts by type and kind (cached). */
export function stats(loaders: Loaders): Promise<StatsRow[]> {
  return cached(loaders, 'stats', () => loaders.store.stats());
}
