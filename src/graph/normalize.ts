/**
 * Name normalisation for lookups: "Al-Qaeda", "al qaeda" and "AL QAEDA" share
 * one key, as do "Côte d’Ivoire" and "cote d ivoire".
 */

/**
 * The lookup key of a name: diacritics removed, lower case, punctuation and
 * runs of space folded to one space, a leading "the" dropped.
 * @example normalizeName('The Al-Qaeda') === 'al qaeda'
 */
export function normalizeName(name: string): string {
  const folded = name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/['’‘`]s\b/gu, '')
    // Initialisms: "U.S." and "U.N." fold to "us" and "un".
    .replace(/(?<=\b\p{L})\.(?=\p{L}\b)|(?<=\b\p{L}\.\p{L})\./gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  return folded.replace(/^the /u, '');
}
