/**
 * Stage 3a: direct quotes. Double quotation marks, curly (“ ”), straight ("),
 * guillemets (« ») or low-high („ “); single marks inside are nested quotes and
 * stay part of the outer quote (a ’ is as often an apostrophe). A quote may
 * span sentences, and paragraphs: by the usual convention a paragraph that
 * ends inside a quote leaves it open and the next paragraph reopens it.
 */
import type { Range } from './types.js';

/** A direct quote: its words, one part per paragraph, without the marks. */
export interface Quote {
  /** The quoted words of each paragraph (UTF-16 ranges), trimmed of space and a trailing comma. */
  parts: Range[];
  /** Index of the first opening mark. */
  open: number;
  /** Index just past the last closing mark. */
  close: number;
  /** The quoted words: the parts joined by what separates them in the text, less the reopening marks. */
  text: string;
  /** Number of words. */
  words: number;
}

const CLOSER: Record<string, string> = { '“': '”', '„': '“', '«': '»', '"': '"' };
const PARAGRAPH_BREAK = /\n[ \t\u00a0]*\n/g;

/** A straight quote opens after the start, a space or an opening bracket/dash; otherwise it closes. */
function opensHere(text: string, i: number): boolean {
  if (text[i] !== '"') return text[i]! in CLOSER;
  const prev = text[i - 1];
  return prev === undefined || /[\s([{\u2014\u2013/-]/.test(prev);
}

/** Offsets where paragraphs end (the first index of each paragraph break). */
function paragraphBreaks(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (const m of text.matchAll(PARAGRAPH_BREAK)) {
    // Extend over further blank lines.
    let end = m.index + m[0].length;
    while (/[\s\u00a0]/.test(text[end] ?? '')) end++;
    out.push({ start: m.index, end });
  }
  return out;
}

function trimRange(text: string, start: number, end: number): Range {
  let s = start;
  let e = end;
  while (s < e && /[\s\u00a0]/.test(text[s]!)) s++;
  while (e > s && /[\s\u00a0,]/.test(text[e - 1]!)) e--;
  return { startIndex: s, endIndex: e };
}

/**
 * Every direct quote in `text`, in text order. Unbalanced marks (a quote that
 * never closes) yield nothing rather than a guess.
 */
export function findQuotes(text: string): Quote[] {
  const breaks = paragraphBreaks(text);
  const breakAt = (from: number, to: number) => breaks.find((b) => b.start >= from && b.start < to);
  const quotes: Quote[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (!(ch in CLOSER) || !opensHere(text, i)) {
      i++;
      continue;
    }
    const opener = ch;
    const closer = CLOSER[opener]!;
    const parts: Range[] = [];
    let contentStart = i + 1;
    let j = contentStart;
    let depth = 0;
    let closedAt = -1;
    while (j < text.length) {
      const c = text[j]!;
      const br = breakAt(j, j + 1);
      if (br) {
        // The paragraph ends inside the quote: it continues only if the next one reopens it.
        if (text[br.end] === opener) {
          parts.push(trimRange(text, contentStart, br.start));
          contentStart = br.end + 1;
          j = contentStart;
          continue;
        }
        break;
      }
      if (opener !== '"' && c === opener && opener !== closer) depth++;
      else if (c === closer && (opener !== '"' || !opensHere(text, j) || j + 1 === text.length)) {
        if (depth === 0) {
          closedAt = j;
          break;
        }
        depth--;
      }
      j++;
    }
    if (closedAt === -1) {
      i++;
      continue;
    }
    parts.push(trimRange(text, contentStart, closedAt));
    const kept = parts.filter((p) => p.endIndex > p.startIndex);
    if (kept.length > 0) {
      let joined = text.slice(kept[0]!.startIndex, kept[0]!.endIndex);
      for (let k = 1; k < kept.length; k++) {
        const between = text.slice(kept[k - 1]!.endIndex, kept[k]!.startIndex).replace(/[“"„«]/g, '');
        joined += between + text.slice(kept[k]!.startIndex, kept[k]!.endIndex);
      }
      quotes.push({ parts: kept, open: i, close: closedAt + 1, text: joined, words: joined.split(/\s+/).filter(Boolean).length });
    }
    i = closedAt + 1;
  }
  return quotes;
}

/**
 * The text with every quote (marks included) blanked out, same length: so
 * that sentence boundaries and mentions inside quotes do not confuse the
 * attribution of speakers.
 */
export function maskQuotes(text: string, quotes: readonly Quote[]): string {
  let out = '';
  let at = 0;
  for (const q of quotes) {
    out += text.slice(at, q.open) + '\u2591'.repeat(q.close - q.open);
    at = q.close;
  }
  return out + text.slice(at);
}
