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
 */
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { ApolloServerPlugin } from '@apollo/server';
import { type DocumentNode, type GraphQLSchema, Lexer, Source, TokenKind, validate } from 'graphql';
import { type ComplexityEstimator, createComplexityRule, simpleEstimator } from 'graphql-query-complexity';

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

/** The query-limits plugin. */
export function queryLimitsPlugin(limits: QueryLimits, onRejected: OnLimitRejected = () => {}): ApolloServerPlugin {
  const estimators = [connectionEstimator, simpleEstimator({ defaultComplexity: 1 })];
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
          const measured = measureDocument(rc.schema, rc.document);
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
          const cost = operationCost(rc.schema, rc.document, rc.request.variables ?? {}, rc.request.operationName, estimators);
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
