/** Type resolution of the interfaces (`Node`, `Entity`) and the union (`StatementSubject`), by id prefix. */
import type { EntityResolvers, NodeResolvers, StatementSubjectResolvers } from '../../generated/resolvers-types.js';
import type { GraphContext } from '../context.js';
import { typeOfId } from '../type-of-id.js';

const resolveType = (row: { id: string }) => typeOfId(row.id) as never;

export const Node: NodeResolvers<GraphContext> = { __resolveType: resolveType };
export const Entity: EntityResolvers<GraphContext> = { __resolveType: resolveType };
export const StatementSubject: StatementSubjectResolvers<GraphContext> = { __resolveType: resolveType };
