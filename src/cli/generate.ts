/**
 * `npm run generate -- --entities 1000000 [--out file:data/big.sqlite] [--seed 1] [--force] [--quiet] [--one-thread] [--worker-writes mentions]`:
 * write a synthetic graph of the seed graph's shape (see src/generate/) into a
 * new SQLite file, with a progress bar, and report the write rate. The graph
 * is generated in a worker thread while this one writes (`--one-thread`:
 * both on this thread); the worker writes the tables of `--worker-writes`
 * itself into files of their own, copied in at the end (default: none).
 */
import { parseArgs } from 'node:util';

import { SingleBar, Presets } from 'cli-progress';

import { generateGraphInWorker, startGraphWorker } from '../generate/generate-in-worker.js';
import { generateGraph, planGraph } from '../generate/synthetic-graph.js';
import { bulkLoadSqlite, type TableKey } from '../store/sqlite/sqlite-bulk-load.js';
import { TABLE_KEYS } from '../store/sqlite/sqlite-bulk-rows.js';

const { values } = parseArgs({
  options: {
    entities: { type: 'string', default: '1000000' },
    out: { type: 'string' },
    seed: { type: 'string', default: '1' },
    force: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
    // Generate on the writing thread instead of a worker thread (to compare; same rows).
    'one-thread': { type: 'boolean', default: false },
    // Tables the worker thread writes into files of its own, copied in at the end (e.g. 'mentions'). Default none:
    // on the shared 2-core machine it moved CPU off the writing thread but did not shorten the build (src/generate/README.md).
    'worker-writes': { type: 'string', default: '' },
  },
});

const entities = Number(values.entities);
const plan = planGraph(entities);
const out = values.out ?? `file:data/synthetic-${entities}.sqlite`;
if (!out.startsWith('file:')) {
  console.error(`--out must be a file: URL (the bulk loader writes SQLite); got ${out}`);
  process.exit(2);
}
const path = out.slice('file:'.length);
const seed = Number(values.seed);
// The bar counts documents; a batch is a few documents with the facts they state (few enough that its rows die young).
const batchDocuments = 10;
const bar = new SingleBar(
  { format: 'generate |{bar}| {percentage}% {value}/{total} documents  {rows} rows  {rate} rows/s  {phase}', hideCursor: true, noTTYOutput: !values.quiet, notTTYSchedule: 5000 },
  Presets.shades_classic,
);
const started = performance.now();
bar.start(plan.documents, 0, { rows: 0, rate: 0, phase: '' });
let documents = 0;
try {
  const options = { entities, seed, batchDocuments };
  const workerTables = values['worker-writes'].split(',').filter(Boolean) as TableKey[];
  for (const key of workerTables) if (!TABLE_KEYS.includes(key)) throw new Error(`--worker-writes: no table ${key}; tables: ${TABLE_KEYS.join(', ')}`);
  // One file per table, each copied in and deleted in turn: the disk holds at most one table twice.
  const worker =
    values['one-thread'] || workerTables.length === 0
      ? undefined
      : startGraphWorker(
          options,
          workerTables.map((key) => ({ path: `${path}.part-${key}`, tables: [key] })),
        );
  const batches = values['one-thread'] ? generateGraph(options) : (worker?.batches ?? generateGraphInWorker(options));
  const result = await bulkLoadSqlite(path, batches, {
    fingerprint: `synthetic:entities=${entities}:seed=${seed}`,
    replace: values.force,
    parts: worker?.parts ?? [],
    onBatch: (rows, documentsSoFar) => {
      const before = documents;
      documents = documentsSoFar;
      if (Math.floor(documents / 100) === Math.floor(before / 100) && documents !== plan.documents) return;
      const secs = (performance.now() - started) / 1000;
      bar.update(documents, { rows, rate: Math.round(rows / secs), phase: '' });
    },
    onPhase: (phase) => bar.update(documents, { phase }),
  });
  bar.stop();
  const seconds = (performance.now() - started) / 1000;
  const c = result.counts;
  const facts = (c.entities ?? 0) + (c.relationships ?? 0) + (c.statements ?? 0) + (c.events ?? 0);
  console.log(
    JSON.stringify(
      {
        out,
        seconds: Number(seconds.toFixed(1)),
        insertSeconds: Number(result.insertSeconds.toFixed(1)),
        finishSeconds: Number(result.finishSeconds.toFixed(1)),
        phases: Object.fromEntries(Object.entries(result.phases).map(([k, v]) => [k, Number(v.toFixed(2))])),
        counts: c,
        rows: result.rows,
        // Every thread of this process, user + system (the wall clock depends on what else the machine runs).
        cpuSeconds: Number(((process.cpuUsage().user + process.cpuUsage().system) / 1e6).toFixed(1)),
        rowsPerSecond: Math.round(result.rows / seconds),
        facts,
        factsPerSecond: Math.round(facts / seconds),
      },
      null,
      2,
    ),
  );
} catch (error) {
  bar.stop();
  console.error(String((error as Error).message ?? error));
  process.exitCode = 1;
}
