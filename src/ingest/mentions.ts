/**
 * Stage 1: mentions of the entities the graph knows, every name and alias
 * matched in one pass (see `NameIndex` and src/graph/mention-matcher.ts).
 */
import type { NameIndex } from './name-index.js';
import type { TextMention } from './types.js';

/** Confidence of a mention of a known entity's name. */
export const MENTION_CONFIDENCE = {
  /** A curated entity's name of two or more words. */
  curatedPhrase: 0.95,
  /** A curated entity's one-word name (more often another sense of the word). */
  curatedWord: 0.9,
  /** An unconfirmed candidate's name. */
  candidate: 0.7,
} as const;

/** Every mention of a known name in `text`, in text order. */
export function findKnownMentions(text: string, names: NameIndex): TextMention[] {
  const out: TextMention[] = [];
  for (const m of names.find(text)) {
    const entity = names.entity(m.entityId);
    if (!entity) continue;
    const confidence =
      entity.method === 'AUTOMATIC'
        ? MENTION_CONFIDENCE.candidate
        : /\s/.test(m.name)
          ? MENTION_CONFIDENCE.curatedPhrase
          : MENTION_CONFIDENCE.curatedWord;
    out.push({ entityRef: m.entityId, type: entity.type, startIndex: m.startIndex, endIndex: m.endIndex, confidence });
  }
  return out;
}
