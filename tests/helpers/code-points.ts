/**
 * Independent checks of evidence spans: offsets count Unicode code points.
 * Written without the server's code (src/graph/spans.ts) on purpose.
 */

/** An evidence span as the API returns it. */
export interface EvidenceJson {
  start: number;
  end: number;
  exact: string;
  prefix: string;
  suffix: string;
  document?: { id: string };
}

/** The text between two code point offsets, end exclusive. */
export function codePointSlice(text: string, start: number, end: number): string {
  return Array.from(text).slice(start, end).join('');
}

/** Code point offset of the first occurrence of `needle` at or after code point `from`; -1 when absent. */
export function codePointIndexOf(text: string, needle: string, from = 0): number {
  const utf16From = Array.from(text).slice(0, from).join('').length;
  const i = text.indexOf(needle, utf16From);
  return i === -1 ? -1 : Array.from(text.slice(0, i)).length;
}

/** Every problem with a span of `text` (empty when it is sound). */
export function spanProblems(text: string, e: EvidenceJson, context = 32): string[] {
  const problems: string[] = [];
  const cps = Array.from(text);
  if (!(Number.isInteger(e.start) && Number.isInteger(e.end) && 0 <= e.start && e.start < e.end && e.end <= cps.length)) {
    problems.push(`bad offsets ${e.start}..${e.end} (length ${cps.length})`);
    return problems;
  }
  const exact = cps.slice(e.start, e.end).join('');
  if (exact !== e.exact) problems.push(`exact ${JSON.stringify(e.exact)} but text[${e.start}, ${e.end}) is ${JSON.stringify(exact)}`);
  const prefix = cps.slice(Math.max(0, e.start - context), e.start).join('');
  if (prefix !== e.prefix) problems.push(`prefix ${JSON.stringify(e.prefix)}, expected ${JSON.stringify(prefix)}`);
  const suffix = cps.slice(e.end, Math.min(cps.length, e.end + context)).join('');
  if (suffix !== e.suffix) problems.push(`suffix ${JSON.stringify(e.suffix)}, expected ${JSON.stringify(suffix)}`);
  return problems;
}
