/**
 * Readable ids for what ingest creates: `document:<slug>`, `person:<slug>`,
 * `mention:<document slug>:<start>`, … (the same shapes as the seed's ids).
 */
import { createHash } from 'node:crypto';

import type { EntityType } from '../store/types.js';

/** Name and version of the extractor, stored with every automatic fact. Bump it when extraction changes. */
export const EXTRACTOR = 'ingest/1.0.0';

/**
 * A lower-case ASCII slug: diacritics dropped, runs of anything else one
 * hyphen, at most 80 characters; empty when nothing is left.
 * @example slugify('Côte d’Ivoire: Talks') === 'cote-d-ivoire-talks'
 */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/['’‘`]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
}

/** SHA-256 of a text, hex. */
export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A document id from an explicit id, else the URL, else the title, else the text's hash. */
export function documentId(options: { id?: string | null; url?: string | null; title?: string | null; hash: string }): string {
  if (options.id) return options.id.startsWith('document:') ? options.id : `document:${slugify(options.id) || options.hash.slice(0, 12)}`;
  if (options.url) {
    try {
      const u = new URL(options.url);
      const slug = slugify(`${u.hostname.replace(/^www\./, '')} ${u.pathname}`);
      if (slug) return `document:${slug}`;
    } catch {
      // Not a URL: fall through to the title.
    }
  }
  const slug = options.title ? slugify(options.title) : '';
  return `document:${slug || `doc-${options.hash.slice(0, 12)}`}`;
}

/** The slug part of a document id (`document:abc` → `abc`). */
export function documentSlug(id: string): string {
  return id.slice(id.indexOf(':') + 1);
}

/** The id prefix of an entity type. */
export function entityPrefix(type: EntityType): string {
  return { ACTOR: 'actor', PERSON: 'person', PLACE: 'place' }[type];
}

/** A preferred id for a new entity (the store adds a suffix when it is taken). */
export function entityId(type: EntityType, name: string): string {
  const slug = slugify(name) || createHash('sha256').update(name).digest('hex').slice(0, 12);
  return `${entityPrefix(type)}:${slug}`;
}
