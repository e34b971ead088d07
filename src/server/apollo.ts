/**
 * The Apollo Server instance: schema, resolvers, landing page, error policy
 * and the hardening plugins (query limits, deadline, keys for mutations,
 * telemetry). Framework-free; src/server/http-server.ts translates HTTP to it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { ApolloServer, type ApolloServerOptionsWithTypeDefs } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';

import { resolvers as schemaResolvers } from '../schema/resolvers/index.js';
import type { ServerConfig } from './config.js';
import { createFormatError } from './format-error.js';
import type { Logger } from './logger.js';
import type { ServerMetrics } from './metrics.js';
import { operationDeadlinePlugin } from './plugins/operation-deadline.js';
import { operationTelemetryPlugin } from './plugins/operation-telemetry.js';
import { queryLimitsPlugin } from './plugins/query-limits.js';
import { requireKeyForMutationsPlugin } from './plugins/require-key-for-mutations.js';
import type { ServerContext } from './server-context.js';

/** The SDL, the source of truth, read from the project root. */
export const SCHEMA_PATH = fileURLToPath(new URL('../../schema.graphql', import.meta.url));
/** The operation preloaded in Sandbox. */
const EXAMPLE_PATH = fileURLToPath(new URL('../../examples/entity-page.graphql', import.meta.url));

/** Options of `createApollo`. */
export interface ApolloOptions {
  config: ServerConfig;
  logger: Logger;
  metrics: ServerMetrics;
  /** Replace the schema (tests of the plugins use a schema with a mutation). Default: schema.graphql and its resolvers. */
  schema?: Pick<ApolloServerOptionsWithTypeDefs<ServerContext>, 'typeDefs' | 'resolvers'>;
}

/** Create (not start) the Apollo Server. */
export function createApollo({ config, logger, metrics, schema }: ApolloOptions): ApolloServer<ServerContext> {
  const development = config.nodeEnv === 'development';
  const landingPage = config.landingPage
    ? ApolloServerPluginLandingPageLocalDefault({
        embed: { endpointIsEditable: false },
        document: readFileSync(EXAMPLE_PATH, 'utf8'),
        variables: { name: 'MINUSMA' },
        includeCookies: false,
      })
    : ApolloServerPluginLandingPageDisabled();
  const { limits } = config;
  return new ApolloServer<ServerContext>({
    typeDefs: schema?.typeDefs ?? readFileSync(SCHEMA_PATH, 'utf8'),
    resolvers: schema?.resolvers ?? (schemaResolvers as ApolloServerOptionsWithTypeDefs<ServerContext>['resolvers']),
    introspection: config.introspection,
    includeStacktraceInErrorResponses: development,
    // Hides "Did you mean …?" suggestions from validation errors.
    hideSchemaDetailsFromClientErrors: !development,
    csrfPrevention: true,
    // Our lifecycle drains on SIGTERM (start-server.ts); Apollo must not stop itself first.
    stopOnTerminationSignals: false,
    allowBatchedHttpRequests: limits.maxBatch > 0,
    // graphql-js stops parsing past this many tokens; the query-limits plugin says which limit it was.
    parseOptions: { maxTokens: limits.maxTokens },
    formatError: createFormatError({ development }),
    plugins: [
      // Order matters for willSendResponse: the plugins that rewrite a response come before telemetry.
      queryLimitsPlugin(limits, (limit) => metrics.reject(limit)),
      operationDeadlinePlugin(limits.deadlineMs, () => metrics.reject('deadline')),
      requireKeyForMutationsPlugin(() => metrics.reject('auth')),
      operationTelemetryPlugin(logger, metrics),
      landingPage,
    ],
  });
}
