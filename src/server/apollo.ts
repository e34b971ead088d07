/**
 * The Apollo Server instance: schema, resolvers, landing page and error
 * policy. Framework-free; src/server/http-server.ts translates HTTP to it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';

import type { GraphContext } from '../schema/context.js';
import { resolvers } from '../schema/resolvers/index.js';
import { createFormatError } from './format-error.js';
import { responseCachePlugin } from './response-cache.js';

/** The SDL, the source of truth, read from the project root. */
export const SCHEMA_PATH = fileURLToPath(new URL('../../schema.graphql', import.meta.url));
/** The operation preloaded in Sandbox. */
const EXAMPLE_PATH = fileURLToPath(new URL('../../examples/entity-page.graphql', import.meta.url));

/** Options of `createApollo`. */
export interface ApolloOptions {
  development: boolean;
  logError: (error: unknown) => void;
}

/** Create (not start) the Apollo Server. */
export function createApollo(options: ApolloOptions): ApolloServer<GraphContext> {
  const typeDefs = readFileSync(SCHEMA_PATH, 'utf8');
  const landingPage = options.development
    ? ApolloServerPluginLandingPageLocalDefault({
        embed: { endpointIsEditable: false },
        document: readFileSync(EXAMPLE_PATH, 'utf8'),
        variables: { name: 'MINUSMA' },
        includeCookies: false,
      })
    : ApolloServerPluginLandingPageDisabled();
  return new ApolloServer<GraphContext>({
    typeDefs,
    resolvers,
    introspection: options.development,
    includeStacktraceInErrorResponses: options.development,
    hideSchemaDetailsFromClientErrors: !options.development,
    csrfPrevention: true,
    formatError: createFormatError({ development: options.development, log: options.logError }),
    // perf: no per-field cache-control instrumentation (nothing reads it); compact JSON instead of Apollo's indented default.
    plugins: [landingPage, responseCachePlugin(), ApolloServerPluginCacheControlDisabled()],
    stringifyResult: (result) => JSON.stringify(result),
  });
}
