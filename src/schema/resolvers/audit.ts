/** Resolvers of `AuditEntry`. */
import type { AuditAction, AuditEntryResolvers } from '../../generated/resolvers-types.js';
import type { GraphContext } from '../context.js';

const parse = (json: string | null): unknown => (json === null ? null : JSON.parse(json));

export const AuditEntry: AuditEntryResolvers<GraphContext> = {
  action: (a) => a.action as AuditAction,
  before: (a) => parse(a.before),
  after: (a) => parse(a.after),
};
