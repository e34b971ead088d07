/**
 * `npx tsx bench/generate-cpu.mts [entities]`: CPU seconds of the synthetic
 * graph generator alone on this thread (no database): generating the rows,
 * and of that, mapping them to the bulk loader's bound values (`toBulkBatch`:
 * full-text index rows, sentence spans). Default 100,000 entities.
 */
import { generateGraph } from '../src/generate/synthetic-graph.js';
import { toBulkBatch } from '../src/store/sqlite/sqlite-bulk-rows.js';

const entities = Number(process.argv[2] ?? 100000);
const start = process.cpuUsage();
let map = 0;
let rows = 0;
for (const batch of generateGraph({ entities, batchDocuments: 10 })) {
  const before = process.cpuUsage();
  const bulk = toBulkBatch(batch);
  const spent = process.cpuUsage(before);
  map += spent.user + spent.system;
  rows += bulk.search.length / 4;
}
const all = process.cpuUsage(start);
console.log(JSON.stringify({ entities, indexRows: rows, cpuSeconds: Number(((all.user + all.system) / 1e6).toFixed(2)), mapCpuSeconds: Number((map / 1e6).toFixed(2)) }));
