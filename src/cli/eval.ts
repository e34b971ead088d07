/**
 * `npm run eval [-- --json] [-- --verbose]`: automatic extraction on the seed
 * articles alone, scored against their curated annotations (precision and
 * recall of mentions, quotes, speakers and dates), with the graph knowing the
 * curated entities and with an empty graph.
 */
import { evaluateSeeds, type EvalReport, type Score } from '../ingest/evaluate.js';
import { loadConfig } from '../server/config.js';

const config = loadConfig();
const reports: EvalReport[] = [await evaluateSeeds(config.seedsDir, 'known'), await evaluateSeeds(config.seedsDir, 'empty')];
if (process.argv.includes('--json')) {
  console.log(JSON.stringify(reports, null, 2));
} else {
  const pct = (n: number): string => n.toFixed(3);
  const row = (name: string, s: Score): string =>
    `  ${name.padEnd(9)} precision ${pct(s.precision)}  recall ${pct(s.recall)}   (${s.correct} right of ${s.predicted} found, ${s.expected} curated)`;
  for (const r of reports) {
    const title =
      r.setting === 'known'
        ? 'Graph knows the curated entities (names and aliases), none of the article’s facts'
        : 'Empty graph: every entity from the NLP candidates';
    console.log(`${title} — ${r.documents} seed document(s), extraction ${r.extractMs.toFixed(0)} ms`);
    console.log(row('mentions', r.mentions));
    console.log(row('quotes', r.quotes));
    console.log(row('speakers', r.speakers));
    console.log(row('dates', r.dates));
    if (process.argv.includes('--verbose')) for (const m of r.misses) console.log(`    ${m}`);
    console.log();
  }
}
