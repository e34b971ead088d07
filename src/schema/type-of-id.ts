/**
 * GraphQL type names from ids: every id starts with its type's prefix
 * (`actor:`, `event:`, …), which resolves interfaces and unions.
 */

const TYPE_BY_PREFIX = {
  actor: 'Actor',
  person: 'Person',
  place: 'Place',
  event: 'Event',
  statement: 'Statement',
  relationship: 'Relationship',
  document: 'Document',
  mention: 'Mention',
} as const;

/** A GraphQL object type name that ids can name. */
export type NodeTypeName = (typeof TYPE_BY_PREFIX)[keyof typeof TYPE_BY_PREFIX];

/** The type an id names, or null for an id of no known shape. */
export function typeOfId(id: string): NodeTypeName | null {
  const colon = id.indexOf(':');
  if (colon === -1) return null;
  const prefix = id.slice(0, colon);
  // Own keys only: "constructor:x" must not find Object.prototype.constructor.
  return Object.hasOwn(TYPE_BY_PREFIX, prefix) ? TYPE_BY_PREFIX[prefix as keyof typeof TYPE_BY_PREFIX] : null;
}
