/** Resolvers of `SearchConnection`, `SearchHit` and the `SearchSubject` union. */
import { hitSnippet, type HitSnippet } from '../../analytics/search.js';
import type { SearchHitModel } from '../../analytics/models.js';
import type {
  SearchConnectionResolvers,
  SearchHitResolvers,
  SearchSubjectResolvers,
} from '../../generated/resolvers-types.js';
import type { GraphContext } from '../context.js';
import { connectionFields } from '../pagination.js';
import { typeOfId } from '../type-of-id.js';
import { loadNode } from './query.js';

export const SearchConnection: SearchConnectionResolvers<GraphContext> = {
  ...(connectionFields as unknown as SearchConnectionResolvers<GraphContext>),
  terms: (c) => [...c.terms],
};

/** One snippet per hit and request, whichever of its fields are asked for. */
const snippets = new WeakMap<SearchHitModel, Promise<HitSnippet>>();
function snippetOf(hit: SearchHitModel, ctx: GraphContext): Promise<HitSnippet> {
  let snippet = snippets.get(hit);
  if (!snippet) snippets.set(hit, (snippet = hitSnippet(ctx.loaders, hit.row, hit.terms)));
  return snippet;
}

export const SearchHit: SearchHitResolvers<GraphContext> = {
  score: (h) => h.row.score,
  snippet: async (h, _, ctx) => (await snippetOf(h, ctx)).snippet,
  text: async (h, _, ctx) => (await snippetOf(h, ctx)).text,
  highlights: async (h, _, ctx) => (await snippetOf(h, ctx)).highlights,
  evidence: async (h, _, ctx) => (await snippetOf(h, ctx)).evidence,
  subject: async (h, _, ctx) => (await loadNode(h.row.subjectId, ctx)) as never,
};

export const SearchSubject: SearchSubjectResolvers<GraphContext> = {
  __resolveType: (row) => typeOfId((row as { id: string }).id) as never,
};
