/** Resolvers of the connection types and `PageInfo`: one shared implementation. */
import type { Resolvers } from '../../generated/resolvers-types.js';
import type { GraphContext } from '../context.js';
import { connectionFields, pageInfoFields } from '../pagination.js';

type R = Resolvers<GraphContext>;

export const EntityConnection = connectionFields as unknown as R['EntityConnection'];
export const EventConnection = connectionFields as unknown as R['EventConnection'];
export const StatementConnection = connectionFields as unknown as R['StatementConnection'];
export const RelationshipConnection = connectionFields as unknown as R['RelationshipConnection'];
export const MentionConnection = connectionFields as unknown as R['MentionConnection'];
export const DocumentConnection = connectionFields as unknown as R['DocumentConnection'];
export const AuditEntryConnection = connectionFields as unknown as R['AuditEntryConnection'];
export const PageInfo = pageInfoFields as unknown as R['PageInfo'];
