/**
 * Query limits: tokens, depth, aliases, directives and cost, checked on every
 * request, including repeated ones whose parsed document Apollo serves from
 * its cache (where parsing and validation are skipped).
 *
 * - tokens: counted with graphql-js's lexer when a document is parsed; Apollo's
 *   parser is also given `maxTokens` (see apollo.ts) so it stops early. A
 *   document over the limit never parses, so it is never cached, so every
 *   repeat is counted again.
 * - depth, aliases, directives: GraphQL Armor's rules, run in
 *   `didResolveOperation`, which Apollo calls for every request, cached or not.
 * - cost: graphql-query-complexity, also in `didResolveOperation`, with the
 *   request's variables, so `first: $n` is priced with the real `n`.
 *
 * perf: the verdicts are remembered per parsed document (Apollo hands the same
 * `DocumentNode` to every request that repeats a document): depth, aliases and
 * directives once per document, and the cost once per operation name and
 * variables shape (`costKey`: the variables with every string blanked, since
 * no string can change a cost), so that the same query sent for other names
 * or ids is not priced again.
 */
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { ApolloServerPlugin } from '@apollo/server';
import { type DocumentNode, type GraphQLSchema, Lexer, Source, TokenKind, validate } from 'graphql';
import { type ComplexityEstimator, createComplexityRule, simpleEstimator } from 'graphql-query-complexity';
import { LRUCache } from 'lru-cache';

import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../schema/pagination.js';
import type { QueryLimits } from '../config.js';
import { type LimitName, limitError } from '../limit-error.js';

/** Called once per rejected operation, with the limit it exceeded. */
export type OnLimitRejected = (limit: LimitName) => void;

/**
 * Prices a field by how many items it can return: a field with a `first`
 * argument (a connection) multiplies its selection by `first` (default 20,
 * at most 100); a field with a list argument (such as `nodes(ids:)`) by the
 * list's length. Other fields cost one plus their selection.
 */
export const connectionEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  let multiplier = 1;
  if (field.args.some((a) => a.name === 'first')) {
    const first = typeof args.first === 'number' ? args.first : DEFAULT_PAGE_SIZE;
    multiplier = Math.min(Math.max(first, 0), MAX_PAGE_SIZE);
  } else {
    for (const value of Object.values(args)) if (Array.isArray(value)) multiplier = Math.max(multiplier, value.length);
  }
  return 1 + multiplier * childComplexity;
};

/** The number of tokens in `source` when it exceeds `max`; null when within it or not lexable. */
export function tokensOver(source: string, max: number): number | null {
  const lexer = new Lexer(new Source(source));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) if (++count > max) return count;
  } catch {
    return null; // a syntax error: the parser reports it
  }
  return null;
}

/** Depth, aliases and directives of a document's largest operation, measured by GraphQL Armor's rules. */
export function measureDocument(schema: GraphQLSchema, document: DocumentNode): { depth: number; aliases: number; directives: number } {
  const found = { depth: 0, aliases: 0, directives: 0 };
  const keep = (key: keyof typeof found) => [(_ctx: unknown, details: { n: number }) => (found[key] = Math.max(found[key], details.n))];
  // n: Infinity makes each rule only measure; the comparison is ours, so the error is ours too.
  validate(schema, document, [
    maxDepthRule({ n: Infinity, onAccept: keep('depth'), propagateOnRejection: false }),
    maxAliasesRule({ n: Infinity, onAccept: keep('aliases'), propagateOnRejection: false }),
    maxDirectivesRule({ n: Infinity, onAccept: keep('directives'), propagateOnRejection: false }),
  ]);
  return found;
}

/** Costs remembered per document (the most variables shapes of one document). */
const COSTS_PER_DOCUMENT = 4096;
/** Longest cost key remembered (longer variables are priced every time). */
const MAX_COST_KEY_LENGTH = 2048;

/**
 * The part of an operation's variables that its cost can depend on: the
 * operation's name and the variables with every string replaced by `s` —
 * numbers (page sizes), booleans (`@include`, `@skip`), nulls, list lengths
 * and object shapes stay. The estimators price `first` (a number) and list
 * lengths, and graphql-query-complexity follows `@include`/`@skip`; a string
 * (a name, an id, an enum value) can only make the variables invalid, which
 * execution then reports. Null when too long to be worth remembering, or
 * nested too deeply to serialise.
 */
export function costKey(operationName: string | undefined, variables: Record<string, unknown>): string | null {
  let json: string;
  try {
    json = JSON.stringify(variables, (_name, value: unknown) => (typeof value === 'string' ? 's' : value));
  } catch {
    return null; // nested too deeply for JSON.stringify (RangeError): priced every time
  }
  const key = `${operationName ?? ''}\n${json}`;
  return key.length > MAX_COST_KEY_LENGTH ? null : key;
}

/** What the plugin remembers about one parsed document. */
interface DocumentVerdicts {
  measured: { depth: number; aliases: number; directives: number };
  costs: LRUCache<string, { cost: number | null }>;
}

/** The query-limits plugin. */
export function queryLimitsPlugin(limits: QueryLimits, onRejected: OnLimitRejected = () => {}): ApolloServerPlugin {
  const estimators = [connectionEstimator, simpleEstimator({ defaultComplexity: 1 })];
  // Keyed by the DocumentNode object: dropped with Apollo's cached document, never shared across schemas.
  const verdicts = new WeakMap<DocumentNode, DocumentVerdicts>();
  return {
    async requestDidStart() {
      let tokens: number | null = null;
      return {
        async parsingDidStart(rc) {
          tokens = rc.source === undefined ? null : tokensOver(rc.source, limits.maxTokens);
          if (tokens !== null) onRejected('tokens');
        },
        async didResolveOperation(rc) {
          if (tokens !== null) throw limitError('tokens', limits.maxTokens, tokens);
          let known = verdicts.get(rc.document);
          if (!known) {
            known = { measured: measureDocument(rc.schema, rc.document), costs: new LRUCache({ max: COSTS_PER_DOCUMENT }) };
            verdicts.set(rc.document, known);
          }
          const { measured } = known;
          for (const [limit, max] of [
            ['depth', limits.maxDepth],
            ['aliases', limits.maxAliases],
            ['directives', limits.maxDirectives],
          ] as const) {
            if (measured[limit] > max) {
              onRejected(limit);
              throw limitError(limit, max, measured[limit]);
            }
          }
          const variables = rc.request.variables ?? {};
          const key = costKey(rc.request.operationName, variables);
          let priced = key === null ? undefined : known.costs.get(key);
          if (!priced) {
            priced = { cost: operationCost(rc.schema, rc.document, variables, rc.request.operationName, estimators) };
            // Never a null (variables that do not fit): a valid request of the same shape must still be priced.
            if (key !== null && priced.cost !== null) known.costs.set(key, priced);
          }
          const { cost } = priced;
          if (cost !== null && cost > limits.maxCost) {
            onRejected('cost');
            throw limitError('cost', limits.maxCost, cost);
          }
        },
        async willSendResponse(rc) {
          // The parser stopped at maxTokens: say which limit, instead of a bare syntax error.
          if (tokens === null || rc.response.body.kind !== 'single') return;
          const error = limitError('tokens', limits.maxTokens, tokens);
          const { http: _http, ...extensions } = error.extensions;
          rc.response.body.singleResult = { errors: [{ message: error.message, extensions }] };
          rc.response.http.status = 400;
        },
      };
    },
  };
}

/** Most selections the cost estimate visits (fragments expanded) before it calls the operation too costly. */
const MAX_COST_NODES = 10_000;

/**
 * The estimated cost of the operation a request selects, with its variables:
 * Infinity when the estimate had to stop (more than MAX_COST_NODES selections
 * with fragments expanded); null when the variables do not fit the operation
 * (execution then reports them, without running any resolver).
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
  operationName: string | undefined,
  estimators: ComplexityEstimator[],
): number | null {
  let cost = 0;
  const rule = createComplexityRule({
    maximumComplexity: Infinity,
    estimators,
    variables,
    ...(operationName ? { operationName } : {}),
    maxQueryNodes: MAX_COST_NODES,
    onComplete: (complexity) => (cost = complexity),
  });
  let errors: readonly unknown[];
  try {
    errors = validate(schema, document, [rule]);
  } catch {
    return Infinity; // the node budget ran out: far too costly
  }
  return errors.length ? null : cost;
}
