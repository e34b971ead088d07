/**
 * The curated annotation format (seeds/*.annotations.yaml) as TypeScript
 * types, and its validation against seeds/annotation.schema.json.
 */
import { readFileSync } from 'node:fs';

import { Ajv } from 'ajv';

import { BuildError } from './build-error.js';

/** A quote: a bare string occurring once, or one occurrence picked by `occurrence` or `within`. */
export type QuoteSpec = string | { quote: string; occurrence?: number; within?: string };

/** A curated entity. */
export interface AnnotatedEntity {
  id: string;
  type: 'ACTOR' | 'PERSON' | 'PLACE';
  kind?: string;
  name: string;
  aliases?: string[];
  commonNames?: string[];
  title?: string;
  description: string;
  evidence: QuoteSpec[];
}

/** A curated partial date. */
export interface AnnotatedDate {
  text: string;
  year: number;
  month?: number;
  day?: number;
  inferred?: boolean;
  inferredFrom?: string;
}

/** A curated event. */
export interface AnnotatedEvent {
  id: string;
  kind: string;
  name: string;
  description: string;
  date?: AnnotatedDate;
  place?: string;
  participants: { entity: string; role: string; evidence?: QuoteSpec[] }[];
  evidence: QuoteSpec[];
}

/** A curated statement. */
export interface AnnotatedStatement {
  id: string;
  kind: string;
  attribution: 'DIRECT_QUOTE' | 'REPORTED' | 'EDITORIAL';
  speaker: string;
  text?: string;
  about: string[];
  occasion?: string;
  evidence: QuoteSpec[];
}

/** A curated relationship. */
export interface AnnotatedRelationship {
  type: string;
  source: string;
  target: string;
  description: string;
  inferred?: boolean;
  inferredFrom?: string;
  evidence: QuoteSpec[];
}

/** One annotation file. */
export interface Annotation {
  document: string;
  entities: AnnotatedEntity[];
  events?: AnnotatedEvent[];
  statements?: AnnotatedStatement[];
  relationships?: AnnotatedRelationship[];
}

/** Kinds allowed per entity type (the JSON Schema lists them together). */
export const ACTOR_KINDS = new Set([
  'STATE', 'INTERGOVERNMENTAL_ORGANIZATION', 'PEACEKEEPING_MISSION', 'GOVERNMENT', 'ARMED_FORCES', 'ARMED_GROUP',
  'REBEL_GROUP', 'TERRORIST_ORGANIZATION', 'PRIVATE_MILITARY_COMPANY', 'MEDIA_ORGANIZATION', 'POPULATION_GROUP',
  'GROUP_OF_STATES', 'OFFICIALS', 'OTHER_ACTOR',
]);
/** Kinds of place. */
export const PLACE_KINDS = new Set(['COUNTRY', 'REGION', 'SUBNATIONAL_REGION', 'SETTLEMENT', 'OTHER_PLACE']);

let validator: ((data: unknown) => boolean) & { errors?: unknown } | undefined;

/**
 * The fact an instance path points into, by its id: `/events/2/date` names
 * the event at index 2. Relationships have no id; they are named
 * `source TYPE target`. Undefined when the path is not inside a fact.
 */
function factAt(data: unknown, instancePath: string): string | undefined {
  let node: unknown = data;
  let fact: string | undefined;
  for (const segment of instancePath.split('/').slice(1)) {
    if (node === null || typeof node !== 'object') break;
    node = (node as Record<string, unknown>)[segment.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (node === null || typeof node !== 'object' || Array.isArray(node)) continue;
    const o = node as Record<string, unknown>;
    if (typeof o.id === 'string') fact = o.id;
    else if (typeof o.source === 'string' && typeof o.target === 'string') fact = `${o.source} ${String(o.type)} ${o.target}`;
  }
  return fact;
}

/**
 * Check a parsed annotation against the JSON Schema.
 * @throws BuildError listing the first problems, with their paths and the ids
 * of the facts they are in; its `fact` is the first such id (or "schema").
 */
export function validateAnnotation(data: unknown, file: string, schemaPath: string): Annotation {
  if (!validator) {
    const ajv = new Ajv({ allErrors: true, strict: true });
    validator = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
  }
  if (!validator(data)) {
    const errors =
      (validator.errors as { instancePath: string; message?: string; params?: { allowedValues?: unknown[] } }[] | undefined) ?? [];
    const facts = errors.map((e) => factAt(data, e.instancePath));
    const detail = errors
      .slice(0, 5)
      .map((e, i) => {
        const where = `${e.instancePath || '/'}${facts[i] ? ` (${facts[i]})` : ''}`;
        const allowed = e.params?.allowedValues ? `: ${e.params.allowedValues.join(', ')}` : '';
        return `${where} ${e.message ?? ''}${allowed}`;
      })
      .join('; ');
    throw new BuildError(file, facts.find((f) => f !== undefined) ?? 'schema', `does not match annotation.schema.json: ${detail}`);
  }
  return data as Annotation;
}
