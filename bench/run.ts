/**
 * Entry point of `npm run bench`:
 *   npm run bench                          throughput mixes a–f against node:http
 *   npm run bench -- --only a,b --seconds 5 --rounds 3
 *   npm run bench -- --profile             also write a CPU profile of our server to bench/profiles/
 *   npm run bench -- --entry src/cli/start.ts   our server from source through tsx (default: compiled, dist/)
 *   npm run bench -- --node-flags=--max-semi-space-size=64   extra flags for our server's node (A/B of V8 settings)
 *   npm run bench -- --scale               the scale bench (see bench/README.md)
 *   npm run bench -- --scale --sizes 100000 --queries path,search --data-dir /path/to/data
 *   npm run bench -- --scale --warmup-seconds 0    measure a server just started (default: 5 s of requests first)
 */
import { parseArgs } from 'node:util';
import { cpus } from 'node:os';

import { buildServer } from './lib/child-server.js';
import { runThroughput } from './throughput.js';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '10' },
    profile: { type: 'boolean', default: false },
    scale: { type: 'boolean', default: false },
    sizes: { type: 'string' },
    queries: { type: 'string' },
    'data-dir': { type: 'string' },
    'warmup-seconds': { type: 'string' },
    entry: { type: 'string' },
    'node-flags': { type: 'string' },
  },
  allowPositionals: false,
});

console.log(`${new Date().toISOString()}  ${cpus().length} cores (${cpus()[0]?.model})  node ${process.version}`);
// Our server runs as `npm start` runs it: compiled, not through tsx.
buildServer();

if (values.scale) {
  const { runScale } = await import('./scale.js');
  await runScale({
    sizes: values.sizes ? values.sizes.split(',').map(Number) : undefined,
    queries: values.queries?.split(','),
    dataDir: values['data-dir'],
    warmupSeconds: values['warmup-seconds'] === undefined ? undefined : Number(values['warmup-seconds']),
  });
} else {
  await runThroughput({
    seconds: Number(values.seconds),
    rounds: Number(values.rounds),
    warmupSeconds: Number(values.warmup),
    connections: Number(values.connections),
    only: values.only?.split(','),
    nodeFlags: [...(values['node-flags']?.split(' ').filter(Boolean) ?? []), ...(values.profile ? ['--cpu-prof', '--cpu-prof-dir=bench/profiles'] : [])],
    entry: values.entry,
  });
}
