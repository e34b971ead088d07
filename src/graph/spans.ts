/**
 * Text positions in Unicode code points. JavaScript strings index UTF-16
 * units; evidence offsets count code points (W3C Web Annotation), so text
 * outside the Basic Multilingual Plane counts once, not twice.
 */

/** Number of context code points kept before and after a span. */
export const CONTEXT_LENGTH = 32;

/** A document's text with conversions between UTF-16 indexes and code point offsets. */
export class CodePointText {
  readonly text: string;
  /** Code point offset of each UTF-16 index (length + 1 entries), or null when the text is all BMP. */
  private readonly offsetOfIndex: Int32Array | null;
  /** UTF-16 index of each code point offset (length + 1 entries), or null when all BMP. */
  private readonly indexOfOffset: Int32Array | null;
  /** Length in code points. */
  readonly length: number;

  constructor(text: string) {
    this.text = text;
    // Without the `u` flag the class matches UTF-16 surrogate units.
    if (!/[\uD800-\uDFFF]/.test(text)) {
      this.offsetOfIndex = null;
      this.indexOfOffset = null;
      this.length = text.length;
      return;
    }
    const offsetOfIndex = new Int32Array(text.length + 1);
    const indexes: number[] = [];
    let offset = 0;
    for (let i = 0; i < text.length; ) {
      const cp = text.codePointAt(i)!;
      const width = cp > 0xffff ? 2 : 1;
      indexes.push(i);
      offsetOfIndex[i] = offset;
      if (width === 2) offsetOfIndex[i + 1] = offset;
      i += width;
      offset += 1;
    }
    offsetOfIndex[text.length] = offset;
    indexes.push(text.length);
    this.offsetOfIndex = offsetOfIndex;
    this.indexOfOffset = Int32Array.from(indexes);
    this.length = offset;
  }

  /** Code point offset of a UTF-16 index. */
  offset(index: number): number {
    return this.offsetOfIndex ? this.offsetOfIndex[index]! : index;
  }

  /** UTF-16 index of a code point offset. */
  index(offset: number): number {
    return this.indexOfOffset ? this.indexOfOffset[offset]! : offset;
  }

  /** The text between two code point offsets (end exclusive). */
  slice(start: number, end: number): string {
    return this.text.slice(this.index(start), this.index(end));
  }

  /** A span from UTF-16 indexes, with its exact text and context, in code points. */
  spanOfIndexes(documentId: string, startIndex: number, endIndex: number): Span {
    const start = this.offset(startIndex);
    const end = this.offset(endIndex);
    return {
      documentId,
      start,
      end,
      exact: this.text.slice(startIndex, endIndex),
      prefix: this.slice(Math.max(0, start - CONTEXT_LENGTH), start),
      suffix: this.slice(end, Math.min(this.length, end + CONTEXT_LENGTH)),
    };
  }
}

/** A span of a document, offsets in code points. */
export interface Span {
  documentId: string;
  start: number;
  end: number;
  exact: string;
  prefix: string;
  suffix: string;
}

/** Every UTF-16 index at which `needle` occurs in `haystack` (overlapping occurrences included). */
export function occurrences(haystack: string, needle: string): number[] {
  const found: number[] = [];
  if (needle.length === 0) return found;
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + 1)) found.push(i);
  return found;
}
