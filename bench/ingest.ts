/**
 * Ingest speed: articles per second for synthetic articles of about 1,000
 * words (known names, new names, quotes with speakers, dates), each ingested
 * through the whole pipeline into a temporary SQLite file built from the
 * seeds. `npm run bench:ingest [-- <articles>]` (default 200).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { buildGraph } from '../src/build/build-graph.js';
import { Ingestor } from '../src/ingest/ingest.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';

const COUNT = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 200);

/** A deterministic pseudo-random generator (mulberry32), so every run ingests the same articles. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['Amadou', 'Fatoumata', 'Moussa', 'Aminata', 'Ibrahim', 'Mariam', 'Oumar', 'Kadiatou', 'Seydou', 'Awa'];
const LAST = ['Diallo', 'Traoré', 'Coulibaly', 'Keïta', 'Sangaré', 'Touré', 'Maïga', 'Cissé', 'Konaté', 'Dembélé'];
const KNOWN = ['MINUSMA', 'the UN', 'Mali', 'Russia', 'Wagner', 'the blue helmets', 'Northern Mali', 'the Sahel', 'El Ghassim Wane', 'the US'];
const FILLER = [
  'Officials in the capital described a tense week as convoys moved north along the main road.',
  'Aid groups warned that food stocks in several towns would run out before the rains.',
  'The talks resumed after a pause of several days, with both delegations reporting slow progress.',
  'Local radio stations carried long interviews with residents who had left their villages.',
  'Analysts said the outcome would depend on security guarantees that nobody has yet offered.',
  'Markets reopened in the afternoon, though many shops stayed shut and prices kept rising.',
];
const MONTHS = ['January', 'March', 'May', 'June', 'September', 'November'];

function article(n: number): string {
  const rnd = random(n + 1);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const paragraphs: string[] = [`Report ${n}: ${pick(KNOWN)} and the road ahead`];
  let words = 0;
  while (words < 1000) {
    const person = `${pick(FIRST)} ${pick(LAST)}`;
    const sentences = [
      `${pick(FILLER)} ${pick(KNOWN)} was mentioned again in ${pick(MONTHS)} ${2015 + Math.floor(rnd() * 9)}.`,
      `“We need ${pick(['time', 'trucks', 'fuel', 'guarantees'])} and we need them before the end of the month,” said ${person}, a spokesperson for ${pick(KNOWN)}.`,
      `${pick(FILLER)} ${pick(FILLER)}`,
      `${person.split(' ')[1]} said the situation had changed since ${2012 + Math.floor(rnd() * 10)}. “Nobody here believes the promises any more,” ${rnd() < 0.5 ? 'she' : 'he'} added.`,
    ];
    const paragraph = sentences.join(' ');
    words += paragraph.split(/\s+/).length;
    paragraphs.push(paragraph);
  }
  return `---\ntitle: Synthetic report ${n}\npublishedOn: 2023-0${1 + (n % 9)}-15\n---\n${paragraphs.join('\n\n')}\n`;
}

const dir = mkdtempSync(join(tmpdir(), 'kg-bench-'));
const store = new SqliteStore(join(dir, 'kg.sqlite'));
try {
  await buildGraph(store, join(import.meta.dirname, '..', 'seeds'));
  const ingestor = new Ingestor(store);
  const texts = Array.from({ length: COUNT }, (_, i) => article(i));
  const words = texts.reduce((sum, t) => sum + t.split(/\s+/).length, 0) / COUNT;
  // Warm up (JIT, NLP lexicon) on articles that are not measured.
  for (let i = 0; i < 3; i++) await ingestor.ingest({ text: article(COUNT + i) }, { actor: 'bench', at: new Date().toISOString() });
  const started = performance.now();
  let mentions = 0;
  let statements = 0;
  for (const text of texts) {
    const r = await ingestor.ingest({ text }, { actor: 'bench', at: new Date().toISOString() });
    mentions += r.mentions;
    statements += r.statements;
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `ingest: ${COUNT} articles of ~${Math.round(words)} words in ${seconds.toFixed(2)} s = ${(COUNT / seconds).toFixed(1)} articles/s ` +
      `(${mentions} mentions, ${statements} statements)`,
  );
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
