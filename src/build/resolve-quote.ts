/**
 * Resolves an evidence quote to the one span of the document it denotes.
 */
import { type CodePointText, occurrences, type Span } from '../graph/spans.js';
import type { QuoteSpec } from './annotation.js';
import { BuildError } from './build-error.js';

/** Where a quote is resolved: the document, and the file and fact for error messages. */
export interface QuoteContext {
  documentId: string;
  text: CodePointText;
  file: string;
  fact: string;
}

/**
 * The span a quote denotes.
 * @throws BuildError when the quote is absent, or ambiguous without a hint, or the hint does not pick one.
 */
export function resolveQuote(spec: QuoteSpec, ctx: QuoteContext): Span {
  const quote = typeof spec === 'string' ? spec : spec.quote;
  const text = ctx.text.text;
  const found = occurrences(text, quote);
  if (found.length === 0) throw new BuildError(ctx.file, ctx.fact, 'quote is not in the text', quote);
  let index: number;
  if (typeof spec !== 'string' && spec.within !== undefined) {
    const passages = occurrences(text, spec.within);
    if (passages.length !== 1) {
      throw new BuildError(ctx.file, ctx.fact, `"within" passage occurs ${passages.length} times, not once`, quote);
    }
    const inner = spec.within.indexOf(quote);
    if (inner === -1) throw new BuildError(ctx.file, ctx.fact, '"within" passage does not contain the quote', quote);
    if (spec.within.indexOf(quote, inner + 1) !== -1) {
      throw new BuildError(ctx.file, ctx.fact, '"within" passage contains the quote more than once', quote);
    }
    index = passages[0]! + inner;
  } else if (typeof spec !== 'string' && spec.occurrence !== undefined) {
    if (spec.occurrence > found.length) {
      throw new BuildError(ctx.file, ctx.fact, `occurrence ${spec.occurrence} asked, but the quote occurs ${found.length} times`, quote);
    }
    index = found[spec.occurrence - 1]!;
  } else {
    if (found.length > 1) {
      throw new BuildError(
        ctx.file,
        ctx.fact,
        `quote occurs ${found.length} times; add "occurrence" or "within" to pick one`,
        quote,
      );
    }
    index = found[0]!;
  }
  return ctx.text.spanOfIndexes(ctx.documentId, index, index + quote.length);
}
