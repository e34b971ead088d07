/**
 * Crash safety of graph writes: a child process writes the graph in a loop,
 * alternating two seed variants, and is killed with SIGKILL at random moments,
 * 24 times. After each kill the database opens, passes PRAGMA integrity_check,
 * and holds exactly variant A or exactly variant B, never a mix.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildGraph } from '../../src/build/build-graph.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { runTs } from '../helpers/child.js';
import { graphDigest, integrityCheck } from '../helpers/graph-digest.js';
import { SEEDS_DIR } from '../helpers/test-server.js';

const dir = mkdtempSync(join(tmpdir(), 'kg-crash-'));
const seedsA = SEEDS_DIR;
const seedsB = join(dir, 'seeds-b');
let digestA: string;
let digestB: string;

/** Build `seeds` into a fresh database at `path`. */
async function buildInto(path: string, seeds: string): Promise<void> {
  const store = new SqliteStore(path);
  try {
    await buildGraph(store, seeds, { force: true });
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  // Variant B: another title, and every description marked, so that several tables differ.
  cpSync(SEEDS_DIR, seedsB, { recursive: true });
  const documents = join(seedsB, 'documents.yaml');
  writeFileSync(documents, readFileSync(documents, 'utf8').replace(/title: (.*)/, 'title: Variant B of $1'));
  const annotations = join(seedsB, 'mali-asks-un-to-end-peacekeeping-mission.annotations.yaml');
  writeFileSync(annotations, readFileSync(annotations, 'utf8').replace(/(description: >-\n)(\s+)/g, '$1$2[variant B] '));
  await buildInto(join(dir, 'a.sqlite'), seedsA);
  await buildInto(join(dir, 'b.sqlite'), seedsB);
  const a = graphDigest(join(dir, 'a.sqlite'), { ignoreVersion: true });
  const b = graphDigest(join(dir, 'b.sqlite'), { ignoreVersion: true });
  digestA = a.all;
  digestB = b.all;
  const differing = Object.keys(a.tables).filter((t) => a.tables[t] !== b.tables[t]);
  expect(differing).toEqual(expect.arrayContaining(['documents', 'entities', 'meta']));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Kill a writing child `kills` times at random moments; returns how many kills landed inside a write. */
async function crashLane(mode: 'build' | 'write', path: string, kills: number): Promise<{ midWrite: number; states: string[] }> {
  await buildInto(path, seedsA);
  let midWrite = 0;
  const states: string[] = [];
  for (let k = 0; k < kills; k++) {
    const child = runTs('tests/helpers/build-loop.ts', [mode, path, seedsA, seedsB], {});
    await child.waitForLine((l) => l.event === 'ready', 30_000);
    await new Promise((r) => setTimeout(r, Math.random() * (mode === 'write' ? 150 : 1500)));
    child.process.kill('SIGKILL');
    expect(await child.exited).toBe('SIGKILL');
    const begun = child.lines.filter((l) => l.event === 'begin').length;
    const done = child.lines.filter((l) => l.event === 'done').length;
    if (begun > done) midWrite++;

    expect(integrityCheck(path)).toBe('ok');
    const digest = graphDigest(path, { ignoreVersion: true }).all;
    const state = digest === digestA ? 'A' : digest === digestB ? 'B' : 'MIXED';
    expect(state, `after kill ${k + 1} (${mode})`).not.toBe('MIXED');
    states.push(state);
  }
  return { midWrite, states };
}

describe('SIGKILL while writing the graph', () => {
  it('leaves a sound database holding the old graph or the new one, 24 times', async () => {
    // Six lanes of four kills, each on its own database, run side by side to keep the test short.
    const modes = ['build', 'build', 'build', 'write', 'write', 'write'] as const;
    const lanes = await Promise.all(modes.map((mode, i) => crashLane(mode, join(dir, `lane${i}.sqlite`), 4)));
    const states = lanes.flatMap((l) => l.states);
    expect(states).toHaveLength(24);
    // Both variants were seen, so the writes did happen between kills.
    expect(new Set(states)).toEqual(new Set(['A', 'B']));
    // In "write" mode nearly every moment is inside a transaction: most kills must have hit one.
    expect(lanes[3]!.midWrite + lanes[4]!.midWrite + lanes[5]!.midWrite).toBeGreaterThanOrEqual(6);
    console.log(`kills: 24; inside a build or write: ${lanes.map((l) => l.midWrite).join(' + ')}; final states: ${states.join('')}`);
  }, 120_000);
});
