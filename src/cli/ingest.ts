/**
 * `npm run ingest -- <files or folders>`: ingest plain-text and Markdown
 * articles (.txt, .md, .markdown; folders are walked) into the database, with
 * a progress bar and a summary. Builds the seed graph first when the seeds
 * changed, so that the articles link to what the seeds know.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';

import cliProgress from 'cli-progress';

import { BuildError } from '../build/build-error.js';
import { buildGraph } from '../build/build-graph.js';
import { IngestError } from '../ingest/ingest-error.js';
import { Ingestor } from '../ingest/ingest.js';
import { loadConfig } from '../server/config.js';
import { openStore } from '../store/open-store.js';

const EXTENSIONS = new Set(['.txt', '.md', '.markdown']);

function collect(path: string, out: string[]): void {
  const stat = statSync(path);
  if (stat.isDirectory()) {
    for (const name of readdirSync(path).sort()) {
      if (!name.startsWith('.')) collect(join(path, name), out);
    }
  } else if (EXTENSIONS.has(extname(path).toLowerCase())) {
    out.push(path);
  }
}

const args = process.argv.slice(2).filter((a) => a !== '--');
if (args.length === 0 || args.includes('--help')) {
  console.error('Usage: npm run ingest -- <file or folder>…   (.txt, .md, .markdown; optional YAML front matter)');
  process.exit(args.length === 0 ? 1 : 0);
}
const files: string[] = [];
for (const arg of args) {
  try {
    collect(arg, files);
  } catch {
    console.error(`Cannot read ${arg}`);
    process.exit(1);
  }
}
if (files.length === 0) {
  console.error('No .txt or .md files found.');
  process.exit(1);
}

const config = loadConfig();
const store = await openStore(config.databaseUrl);
try {
  try {
    const build = await buildGraph(store, config.seedsDir);
    if (build.built) console.error(`Built the seed graph from ${config.seedsDir}/.`);
  } catch (error) {
    if (!(error instanceof BuildError)) throw error;
    console.error(`Seed build skipped: ${error.message}`);
  }
  const ingestor = new Ingestor(store);
  const bar = new cliProgress.SingleBar(
    { format: 'Ingesting [{bar}] {value}/{total} {file}', hideCursor: true, stream: process.stderr, etaBuffer: 20 },
    cliProgress.Presets.shades_classic,
  );
  const tally = { CREATED: 0, UPDATED: 0, UNCHANGED: 0, failed: 0 };
  const created = new Set<string>();
  const matched = new Set<string>();
  let mentions = 0;
  let statements = 0;
  let dates = 0;
  const failures: string[] = [];
  const started = performance.now();
  bar.start(files.length, 0, { file: '' });
  for (const file of files) {
    bar.update({ file: relative(process.cwd(), file) });
    try {
      const outcome = await ingestor.ingest({ text: readFileSync(file, 'utf8') }, { actor: 'cli', at: new Date().toISOString() });
      tally[outcome.status]++;
      outcome.entitiesCreated.forEach((id) => created.add(id));
      outcome.entitiesMatched.forEach((id) => matched.add(id));
      if (outcome.status !== 'UNCHANGED') {
        mentions += outcome.mentions;
        statements += outcome.statements;
        dates += outcome.dates;
      }
    } catch (error) {
      if (!(error instanceof IngestError)) throw error;
      tally.failed++;
      failures.push(`${file}: ${error.message}`);
    }
    bar.increment();
  }
  bar.stop();
  const seconds = (performance.now() - started) / 1000;
  for (const f of failures) console.error(`  failed: ${f}`);
  console.log(
    [
      `Documents:  ${files.length} (${tally.CREATED} new, ${tally.UPDATED} updated, ${tally.UNCHANGED} unchanged, ${tally.failed} failed) in ${seconds.toFixed(1)} s`,
      `Entities:   ${created.size} new (unconfirmed candidates), ${matched.size} matched`,
      `Mentions:   ${mentions}`,
      `Statements: ${statements}`,
      `Dates:      ${dates}`,
    ].join('\n'),
  );
  if (tally.failed > 0) process.exitCode = 1;
} finally {
  await store.close();
}
