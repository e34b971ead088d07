/**
 * The working shapes the extraction stages pass along. Positions are UTF-16
 * indexes into the document text (end exclusive); the pipeline turns them into
 * code point spans (see src/graph/spans.ts) when it writes.
 */
import type { EntityType } from '../store/types.js';

/** A range of the text in UTF-16 indexes, end exclusive. */
export interface Range {
  startIndex: number;
  endIndex: number;
}

/** An occurrence of an entity's name: a known entity (its id) or a candidate (its key). */
export interface TextMention extends Range {
  entityRef: string;
  type: EntityType;
  confidence: number;
}

/** An entity the graph does not know, proposed from the text. */
export interface CandidateDraft {
  /** `candidate:<n>`; mentions and statements refer to it by this key. */
  key: string;
  type: EntityType;
  kind: string | null;
  name: string;
  /** Other names the text uses for it (a person's surname). */
  aliases: string[];
  confidence: number;
  /** Why it is proposed, for its description. */
  reason: string;
  /** Its first occurrence. */
  first: Range;
}

/** A run of proper nouns the NLP package found that is not (yet) an entity. */
export interface ProperName extends Range {
  text: string;
}
