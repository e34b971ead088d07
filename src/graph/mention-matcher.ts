/**
 * Finds mentions of known names in a text: every occurrence of every name,
 * on word boundaries, case-sensitive (a name written in lower case also
 * matches with a capital first letter, as at the start of a sentence), and
 * leftmost-longest where matches overlap ("Northern Mali" beats "Mali").
 */

/** A name to look for, and whose it is. */
export interface NamePattern {
  name: string;
  entityId: string;
}

/** A match: UTF-16 indexes into the text, end exclusive. */
export interface NameMatch {
  entityId: string;
  name: string;
  startIndex: number;
  endIndex: number;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

function isWordBoundary(text: string, index: number, before: boolean): boolean {
  if (before) {
    if (index === 0) return true;
    const prev = text.codePointAt(index - 1)!;
    // Step back over a low surrogate to the whole code point.
    const cp = prev >= 0xdc00 && prev <= 0xdfff && index >= 2 ? text.codePointAt(index - 2)! : prev;
    return !WORD_CHAR.test(String.fromCodePoint(cp));
  }
  if (index >= text.length) return true;
  return !WORD_CHAR.test(String.fromCodePoint(text.codePointAt(index)!));
}

/**
 * Every non-overlapping mention of the names in `text`, in text order.
 * @throws Error when one spelling belongs to two entities (a curation error).
 */
export function findMentions(text: string, patterns: readonly NamePattern[]): NameMatch[] {
  const owner = new Map<string, string>();
  for (const p of patterns) {
    const spellings = [p.name];
    const first = p.name[0]!;
    if (first !== first.toUpperCase()) spellings.push(first.toUpperCase() + p.name.slice(1));
    for (const s of spellings) {
      const had = owner.get(s);
      if (had !== undefined && had !== p.entityId) {
        throw new Error(`The name "${s}" belongs to both ${had} and ${p.entityId}.`);
      }
      owner.set(s, p.entityId);
    }
  }
  const candidates: NameMatch[] = [];
  for (const [name, entityId] of owner) {
    for (let i = text.indexOf(name); i !== -1; i = text.indexOf(name, i + 1)) {
      const end = i + name.length;
      if (isWordBoundary(text, i, true) && isWordBoundary(text, end, false)) {
        candidates.push({ entityId, name, startIndex: i, endIndex: end });
      }
    }
  }
  candidates.sort((a, b) => a.startIndex - b.startIndex || b.endIndex - a.endIndex);
  const out: NameMatch[] = [];
  let reached = 0;
  for (const c of candidates) {
    if (c.startIndex < reached) continue;
    out.push(c);
    reached = c.endIndex;
  }
  return out;
}
