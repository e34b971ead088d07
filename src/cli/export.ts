/**
 * `npm run export -- --format csv --type entities [--out file]`: write an
 * export to a file or to standard output, streamed.
 *
 * Formats: csv and jsonl for --type entities|relationships|statements|events|mentions;
 * graphml and jsonld for the whole graph (--type graph, the default for them).
 */
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';

import { exportChunks, parseExportRequest } from '../export/formats.js';
import { loadConfig } from '../server/config.js';
import { openStore } from '../store/open-store.js';

const { values } = parseArgs({
  options: { format: { type: 'string' }, type: { type: 'string' }, out: { type: 'string' } },
  strict: true,
});
const format = values.format ?? '';
const type = values.type ?? (format === 'graphml' || format === 'jsonld' ? 'graph' : '');
const request = parseExportRequest(type, format);
if (typeof request === 'string') {
  console.error(`${request}\nUsage: npm run export -- --format csv|jsonl --type entities|relationships|statements|events|mentions [--out file]\n       npm run export -- --format graphml|jsonld [--out file]`);
  process.exit(2);
}
const config = loadConfig();
const store = await openStore(config.databaseUrl);
try {
  const sink = values.out ? createWriteStream(values.out) : process.stdout;
  await pipeline(Readable.from(exportChunks(store, request)), sink);
  if (values.out) console.error(`Wrote ${request.type}.${request.format} to ${values.out}`);
} catch (error) {
  // A closed pipe (`| head`) is the reader's choice, not a failure.
  if ((error as NodeJS.ErrnoException).code !== 'EPIPE') {
    console.error(error);
    process.exitCode = 1;
  }
} finally {
  await store.close();
}
