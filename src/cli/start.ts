/**
 * `npm start`: build the graph from seeds/ when they changed, then serve it.
 * SIGHUP rebuilds from the seeds (when they changed) without a restart; other
 * instances on the same database see the new graph at once.
 */
import { BuildError } from '../build/build-error.js';
import { buildGraph } from '../build/build-graph.js';
import { loadConfig } from '../server/config.js';
import { startServer } from '../server/start-server.js';

try {
  const config = loadConfig();
  const server = await startServer(config);
  if (server.build?.built) console.log(`Built the graph from ${config.seedsDir}/:`, server.build.counts);
  else console.log(`The graph is up to date with ${config.seedsDir}/.`);
  console.log(`Serving ${server.url} (${config.nodeEnv}, ${server.store.backend})`);
  let rebuilding: Promise<void> = Promise.resolve();
  process.on('SIGHUP', () => {
    rebuilding = rebuilding.then(async () => {
      try {
        const result = await buildGraph(server.store, config.seedsDir);
        const version = await server.store.graphVersion();
        console.log(
          result.built
            ? `Rebuilt the graph from ${config.seedsDir}/ (graph version ${version}).`
            : `The seeds did not change; the graph stays at version ${version}.`,
        );
      } catch (error) {
        const reason = error instanceof BuildError ? error.message : String((error as Error)?.stack ?? error);
        console.error(`Rebuild failed; the previous graph stays in place: ${reason}`);
      }
    });
  });
  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  console.error(error instanceof BuildError ? `Build failed: ${error.message}` : error);
  process.exit(1);
}
