/**
 * `npm start` (compiled: `node dist/cli/start.js`; `npm run dev` runs this
 * file with tsx): build the graph from seeds/ when they changed (unless
 * BUILD_ON_START=false), then serve it.
 * SIGTERM or SIGINT drains (requests in flight finish, new ones get 503) and
 * exits 0. A repeated SIGTERM (process managers and wrappers often relay one
 * twice) is ignored; a second SIGINT (Ctrl-C again) exits at once with 1.
 * SIGHUP rebuilds from the seeds (when they changed) without a restart; other
 * instances on the same database see the new graph at once (ignored with
 * BUILD_ON_START=false).
 */
import { BuildError } from '../build/build-error.js';
import { buildGraph } from '../build/build-graph.js';
import { loadConfig } from '../server/config.js';
import { createLogger } from '../server/logger.js';
import { startServer } from '../server/start-server.js';

const config = (() => {
  try {
    return loadConfig();
  } catch (error) {
    console.error(`Configuration error: ${(error as Error).message}`);
    process.exit(1);
  }
})();
const logger = createLogger(config.logLevel);

process.on('uncaughtException', (err) => {
  logger.fatal({ err }, 'uncaught exception');
  process.exit(1);
});
process.on('unhandledRejection', (err) => {
  logger.fatal({ err }, 'unhandled rejection');
  process.exit(1);
});

try {
  const server = await startServer(config, { logger });
  if (server.build?.built) logger.info({ counts: server.build.counts, seedsDir: config.seedsDir }, 'built the graph');
  else if (server.build) logger.info({ seedsDir: config.seedsDir }, 'the graph is up to date');
  else logger.info('BUILD_ON_START=false: serving the database as it is');
  logger.info({ url: server.url, nodeEnv: config.nodeEnv, backend: server.store.backend }, 'serving');
  let rebuilding: Promise<void> = Promise.resolve();
  process.on('SIGHUP', () => {
    if (!config.buildOnStart) {
      logger.warn('SIGHUP ignored: BUILD_ON_START=false (this instance never builds from the seeds)');
      return;
    }
    rebuilding = rebuilding.then(async () => {
      try {
        const result = await buildGraph(server.store, config.seedsDir);
        const version = await server.store.graphVersion();
        if (result.built) logger.info({ seedsDir: config.seedsDir, graphVersion: version }, 'rebuilt the graph');
        else logger.info({ seedsDir: config.seedsDir, graphVersion: version }, 'the seeds did not change');
      } catch (error) {
        const reason = error instanceof BuildError ? error.message : String((error as Error)?.stack ?? error);
        logger.error({ reason }, 'rebuild failed; the previous graph stays in place');
      }
    });
  });
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      if (signal === 'SIGTERM') return;
      logger.warn({ signal }, 'second interrupt: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  if (error instanceof BuildError) logger.fatal(`Build failed: ${error.message}`);
  else logger.fatal({ err: error }, 'start failed');
  process.exit(1);
}
