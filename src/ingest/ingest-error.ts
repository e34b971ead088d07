/**
 * The error ingest and curation throw for input they refuse (a seed
 * document, an unknown id, a quote not in the text). The API shows its message
 * as BAD_USER_INPUT; the command line prints it.
 */

/** Input that ingest or curation refuses; the message says why and what to do. */
export class IngestError extends Error {
  constructor(
    message: string,
    /** The input field at fault, when there is one. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'IngestError';
  }
}
