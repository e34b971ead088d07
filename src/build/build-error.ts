/**
 * The one error the build throws for bad seeds: it names the file, the fact
 * and, where there is one, the quote.
 */

/** A problem in the seeds that stops the build. */
export class BuildError extends Error {
  constructor(
    readonly file: string,
    readonly fact: string,
    readonly problem: string,
    readonly quote?: string,
  ) {
    super(`${file}: ${fact}: ${problem}${quote === undefined ? '' : ` (quote: ${JSON.stringify(quote)})`}`);
    this.name = 'BuildError';
  }
}
