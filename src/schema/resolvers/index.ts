/**
 * The resolver map: one file per GraphQL type (or family of types), each thin:
 * adjust arguments, make one loader call.
 */
import type { Resolvers } from '../../generated/resolvers-types.js';
import type { GraphContext } from '../context.js';
import { Entity, Node, StatementSubject } from './abstract.js';
import * as connections from './connections.js';
import { AuditEntry } from './audit.js';
import { DateMention, Document, Evidence, Mention } from './document.js';
import { Actor, Person, Place } from './entity.js';
import { Event, Participant, PartialDate } from './event.js';
import { Mutation } from './mutation.js';
import * as analytics from './analytics.js';
import { AnalystQuery } from './analyst-query.js';
import { Path, PathLink, PathStep } from './path.js';
import { Query } from './query.js';
import { SearchConnection, SearchHit, SearchSubject } from './search.js';
import { Relationship } from './relationship.js';
import * as scalars from './scalars.js';
import { Statement } from './statement.js';

/** Every resolver of the schema. */
export const resolvers: Resolvers<GraphContext> = {
  ...scalars,
  ...connections,
  Query: { ...Query, ...AnalystQuery },
  Mutation,
  Node,
  Entity,
  StatementSubject,
  Actor,
  Person,
  Place,
  Event,
  PartialDate,
  Participant,
  Statement,
  Relationship,
  Document,
  Mention,
  Evidence,
  DateMention,
  AuditEntry,
  // Analyst queries
  SearchConnection,
  SearchHit,
  SearchSubject,
  Path,
  PathStep,
  PathLink,
  ...analytics,
};
