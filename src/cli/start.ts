/**
 * `npm start`: build the graph from seeds/ when they changed, then serve it.
 */
import { BuildError } from '../build/build-error.js';
import { loadConfig } from '../server/config.js';
import { startServer } from '../server/start-server.js';

try {
  const config = loadConfig();
  const server = await startServer(config);
  if (server.build?.built) console.log(`Built the graph from ${config.seedsDir}/:`, server.build.counts);
  else console.log(`The graph is up to date with ${config.seedsDir}/.`);
  console.log(`Serving ${server.url} (${config.nodeEnv}, ${server.store.backend})`);
  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  console.error(error instanceof BuildError ? `Build failed: ${error.message}` : error);
  process.exit(1);
}
