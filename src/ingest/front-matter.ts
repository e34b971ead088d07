/**
 * Stage 0: a file's metadata. Plain text and Markdown may open with YAML front
 * matter between `---` lines (title, url, publisher, publishedOn, id); without
 * it the title is the first non-empty line (a Markdown heading's `#` marks
 * removed). The text that evidence offsets index is what follows the front
 * matter, byte for byte.
 */
import { parse as parseYaml } from 'yaml';

/** What the front matter (or the text) says about the document. */
export interface DocumentMeta {
  id?: string;
  title?: string;
  url?: string;
  /** A publisher's name or entity id. */
  publisher?: string;
  /** `YYYY-MM-DD`. */
  publishedOn?: string;
}

/** A file split into its metadata and its text. */
export interface ParsedDocument {
  meta: DocumentMeta;
  /** The text after the front matter. */
  text: string;
}

/** Thrown for front matter that is not valid YAML or has fields of the wrong shape. */
export class FrontMatterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrontMatterError';
  }
}

const FENCE = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;
const ALIASES: Record<string, keyof DocumentMeta> = {
  id: 'id',
  title: 'title',
  url: 'url',
  link: 'url',
  publisher: 'publisher',
  source: 'publisher',
  publishedon: 'publishedOn',
  published_on: 'publishedOn',
  published: 'publishedOn',
  date: 'publishedOn',
};

/** `YYYY-MM-DD` from a YAML date, a full timestamp or a date string; undefined when it is none of these. */
function isoDay(value: unknown): string | undefined {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 10);
  if (typeof value === 'string') {
    const m = /^(\d{4}-\d{2}-\d{2})(?:[T ].*)?$/.exec(value.trim());
    if (m) return m[1];
  }
  return undefined;
}

/**
 * Split `raw` into front matter and text.
 * @throws FrontMatterError for front matter that is not a YAML mapping, or a date that is not a date.
 * @example parseDocument('---\ntitle: A\npublishedOn: 2024-05-01\n---\nBody').meta.publishedOn === '2024-05-01'
 */
export function parseDocument(raw: string): ParsedDocument {
  const input = raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
  const fence = FENCE.exec(input);
  const meta: DocumentMeta = {};
  let text = input;
  if (fence) {
    text = input.slice(fence[0].length);
    let data: unknown;
    try {
      data = parseYaml(fence[1]!);
    } catch (error) {
      throw new FrontMatterError(`front matter is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
    }
    if (data !== null && (typeof data !== 'object' || Array.isArray(data))) throw new FrontMatterError('front matter must be a YAML mapping');
    for (const [key, value] of Object.entries((data ?? {}) as Record<string, unknown>)) {
      const field = ALIASES[key.toLowerCase()];
      if (!field || value === null || value === undefined) continue;
      if (field === 'publishedOn') {
        const day = isoDay(value);
        if (!day) throw new FrontMatterError(`front matter "${key}" is not a date (YYYY-MM-DD): ${JSON.stringify(value)}`);
        meta.publishedOn = day;
      } else {
        meta[field] = String(value).trim();
      }
    }
  }
  if (!meta.title) {
    const first = text.split(/\r?\n/).find((line) => line.trim().length > 0);
    if (first) meta.title = first.replace(/^\s{0,3}#{1,6}\s+/, '').replace(/\s+#+\s*$/, '').trim();
  }
  return { meta, text };
}
