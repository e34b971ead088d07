/**
 * The refusal every backend gives when its database was migrated by newer code.
 */

/**
 * Thrown when opening a database whose schema version is newer than the
 * migrations this code knows: writing to it could corrupt what the newer code
 * relies on, so the store refuses to open instead.
 */
export class SchemaTooNewError extends Error {
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(`Database schema version ${found} is newer than this code knows (${known}); upgrade the server instead of writing to it.`);
    this.name = 'SchemaTooNewError';
  }
}
