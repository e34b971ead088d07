/**
 * `npm run build:graph [-- --force]`: build the graph from seeds/ into the database.
 */
import { BuildError } from '../build/build-error.js';
import { buildGraph } from '../build/build-graph.js';
import { loadConfig } from '../server/config.js';
import { openStore } from '../store/open-store.js';

const config = loadConfig();
const store = await openStore(config.databaseUrl, { poolMax: config.pgPoolMax, listenUrl: config.pgListenUrl ?? undefined });
try {
  const result = await buildGraph(store, config.seedsDir, { force: process.argv.includes('--force') });
  console.log(result.built ? `Built ${config.databaseUrl} from ${config.seedsDir}/:` : 'Up to date; nothing to do.', result.counts);
} catch (error) {
  console.error(error instanceof BuildError ? `Build failed: ${error.message}` : error);
  process.exitCode = 1;
} finally {
  await store.close();
}
