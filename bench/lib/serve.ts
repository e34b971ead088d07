/**
 * Our server on an existing database, without building from the seeds (the
 * scale bench serves generated graphs). Same `startServer` as `npm start`.
 */
import { loadConfig } from '../../src/server/config.js';
import { startServer } from '../../src/server/start-server.js';

const server = await startServer(loadConfig(), { build: false });
console.log(`Serving ${server.url} (${server.store.backend})`);
const stop = (): void => void server.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
