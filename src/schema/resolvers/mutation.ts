/**
 * Resolvers of `Mutation`: check the caller's API key, call ingest or
 * curation, and turn refused input into BAD_USER_INPUT. Each change is one
 * store transaction, audited under the key's name.
 */
import { ErrorCode, userError } from '../../errors.js';
import type { MutationResolvers, QuoteInput } from '../../generated/resolvers-types.js';
import { IngestError } from '../../ingest/ingest-error.js';
import type { ChangeContext } from '../../store/writes.js';
import { requireCaller } from '../auth.js';
import type { GraphContext } from '../context.js';

/** Who and when, for the audit log. */
function changeBy(ctx: GraphContext): ChangeContext {
  return { actor: requireCaller(ctx).name, at: new Date().toISOString() };
}

/** Run a write, turning refused input into a client error. */
async function refused<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof IngestError) {
      throw userError(error.message, ErrorCode.BAD_USER_INPUT, error.field ? { argument: error.field } : {});
    }
    throw error;
  }
}

const quotes = (list: readonly QuoteInput[]) => list.map((q) => ({ quote: q.quote, occurrence: q.occurrence, within: q.within }));

export const Mutation: MutationResolvers<GraphContext> = {
  ingestDocument: async (_, { input }, ctx) => {
    const change = changeBy(ctx);
    const outcome = await refused(() =>
      ctx.writes.ingestor.ingest(
        {
          text: input.text,
          id: input.id,
          title: input.title,
          url: input.url ? String(input.url) : null,
          publisher: input.publisher,
          publishedOn: input.publishedOn,
        },
        change,
      ),
    );
    const created = await Promise.all(outcome.entitiesCreated.map((id) => ctx.loaders.entity.load(id)));
    return {
      document: outcome.document,
      status: outcome.status,
      entitiesCreated: created.filter((e) => e !== null),
      entitiesMatched: outcome.entitiesMatched.length,
      mentions: outcome.mentions,
      statements: outcome.statements,
      dates: outcome.dates,
    };
  },
  deleteDocument: async (_, { id }, ctx) => {
    const change = changeBy(ctx);
    const result = await refused(() => ctx.writes.ingestor.delete(id, change));
    if (!result) throw userError(`No document has the id ${id}.`, ErrorCode.BAD_USER_INPUT, { argument: 'id' });
    return { id: result.documentId, entitiesRemoved: result.entitiesRemoved, factsRemoved: result.factsRemoved };
  },
  confirmEntity: (_, { id }, ctx) => {
    const change = changeBy(ctx);
    return refused(() => ctx.writes.curator.confirmEntity(id, change));
  },
  rejectEntity: (_, { id }, ctx) => {
    const change = changeBy(ctx);
    return refused(() => ctx.writes.curator.rejectEntity(id, change));
  },
  mergeEntities: (_, { from, into }, ctx) => {
    const change = changeBy(ctx);
    return refused(() => ctx.writes.curator.mergeEntities(from, into, change));
  },
  addStatement: (_, { input }, ctx) => {
    const change = changeBy(ctx);
    return refused(() => ctx.writes.curator.addStatement({ ...input, evidence: quotes(input.evidence) }, change));
  },
  correctStatement: (_, { id, input }, ctx) => {
    const change = changeBy(ctx);
    return refused(() =>
      ctx.writes.curator.correctStatement(id, { ...input, evidence: input.evidence ? quotes(input.evidence) : undefined }, change),
    );
  },
  addRelationship: (_, { input }, ctx) => {
    const change = changeBy(ctx);
    return refused(() => ctx.writes.curator.addRelationship({ ...input, evidence: quotes(input.evidence) }, change));
  },
  correctRelationship: (_, { id, input }, ctx) => {
    const change = changeBy(ctx);
    return refused(() =>
      ctx.writes.curator.correctRelationship(id, { ...input, evidence: input.evidence ? quotes(input.evidence) : undefined }, change),
    );
  },
};
