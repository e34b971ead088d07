/**
 * `npm run bench`: our server (production mode, child process, fresh SQLite
 * with the seed graph) against a bare node:http server replaying the same
 * bytes, driven alternately with autocannon at 10 connections, per mix.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { alternate, type Aggregate, type LoadRequest, type LoadTarget } from './lib/drive.js';
import { ROOT, startChildServer, type ChildServer } from './lib/child-server.js';
import { record, requestKey, startReplayServer, type RecordedResponse } from './lib/replay-server.js';

/** A mix: the requests our server gets, and the recorded pool the replay server gets. */
interface Mix {
  id: string;
  title: string;
  ours: LoadRequest[];
  replay: LoadRequest[];
  /** Requests to record (key material) before the run. */
  recorded: { body: string }[];
  /** Distinct requests the mix can send our server (Infinity when generated). */
  distinct: number;
  pending?: string;
}

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

const post = (body: string): LoadRequest => ({ method: 'POST', path: '/graphql', headers: JSON_HEADERS, body });

function readQuery(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8');
}

/** Deterministic shuffle (mulberry32), so runs are comparable. */
function shuffled<T>(items: T[], seed: number): T[] {
  let s = seed >>> 0;
  const rand = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

async function entityNames(url: string): Promise<{ names: string[]; aliases: string[] }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: JSON_HEADERS,
    body: JSON.stringify({ query: '{ entities(first: 100) { nodes { name aliases } } }' }),
  });
  const body = (await res.json()) as { data: { entities: { nodes: { name: string; aliases: string[] }[] } } };
  const nodes = body.data.entities.nodes;
  return { names: nodes.map((n) => n.name), aliases: nodes.flatMap((n) => n.aliases) };
}

/** Options of the throughput bench. */
export interface ThroughputOptions {
  seconds: number;
  rounds: number;
  warmupSeconds: number;
  connections: number;
  only?: string[];
  nodeFlags?: string[];
  env?: Record<string, string>;
}

/** One mix's result. */
export interface MixResult {
  id: string;
  title: string;
  ours?: Aggregate;
  base?: Aggregate;
  ratio?: number;
  pending?: string;
  note?: string;
}

export async function runThroughput(o: ThroughputOptions): Promise<MixResult[]> {
  const server: ChildServer = await startChildServer({ nodeFlags: o.nodeFlags, env: o.env });
  const origin = new URL(server.url).origin;
  const results: MixResult[] = [];
  try {
    const entityPage = readQuery('examples/entity-page.graphql');
    const paged = readQuery('bench/queries/entity-page-paged.graphql');
    const { names, aliases } = await entityNames(server.url);

    const mixes: Mix[] = [];
    // (a) one entity page, repeated.
    const a = JSON.stringify({ query: entityPage, variables: { name: 'MINUSMA' } });
    mixes.push({ id: 'a', title: 'entity page, repeated', ours: [post(a)], replay: [post(a)], recorded: [{ body: a }], distinct: 1 });
    // (b) the same query for 24 different entities, round-robin (23 entities and one alias).
    const pageNames = [...names, aliases.find((x) => !names.includes(x))!].slice(0, 24);
    const bBodies = pageNames.map((name) => JSON.stringify({ query: entityPage, variables: { name } }));
    mixes.push({
      id: 'b',
      title: `entity page, ${bBodies.length} entities round-robin`,
      ours: bBodies.map(post),
      replay: bBodies.map(post),
      recorded: bBodies.map((body) => ({ body })),
      distinct: bBodies.length,
    });
    // (c) distinct requests: every name and alias × page sizes, shuffled; our server
    // walks the sequence from the start, the replay server cycles through a
    // recorded pool taken from the end (so recording warms no cache for ours).
    const allNames = [...new Set([...names, ...aliases])];
    const combos: string[] = [];
    for (const name of allNames)
      for (let r = 0; r <= 20; r++)
        for (let s = 0; s <= 20; s++)
          for (let m = 0; m <= 5; m++)
            combos.push(JSON.stringify({ query: paged, variables: { name, relationships: r, statements: s, mentions: m } }));
    const sequence = shuffled(combos, 42);
    const poolSize = 2000;
    const pool = sequence.slice(sequence.length - poolSize);
    let next = 0;
    const distinct: LoadRequest = {
      method: 'POST',
      path: '/graphql',
      headers: JSON_HEADERS,
      setupRequest: (req) => ({ ...req, body: sequence[next++ % (sequence.length - poolSize)]! }),
    };
    mixes.push({
      id: 'c',
      title: 'distinct requests (entity page, names × page sizes)',
      ours: [distinct],
      replay: pool.map(post),
      recorded: pool.map((body) => ({ body })),
      distinct: sequence.length - poolSize,
    });
    for (const [id, title] of [
      ['d', 'search'],
      ['e', 'shortest path'],
      ['f', 'timeline'],
    ] as const) {
      mixes.push({ id, title, ours: [], replay: [], recorded: [], distinct: 0, pending: 'needs analyst-queries (search, path, timeline) on main' });
    }

    for (const mix of mixes) {
      if (o.only && !o.only.includes(mix.id)) continue;
      if (mix.pending) {
        results.push({ id: mix.id, title: mix.title, pending: mix.pending });
        continue;
      }
      const answers = new Map<string, RecordedResponse>();
      for (const { body } of mix.recorded) {
        const answer = await record(origin, 'POST', '/graphql', JSON_HEADERS, body);
        const parsed = JSON.parse(answer.body.toString()) as { errors?: unknown };
        if (answer.status !== 200 || parsed.errors) throw new Error(`mix ${mix.id}: ${answer.status} ${answer.body.toString().slice(0, 300)}`);
        answers.set(requestKey('POST', '/graphql', body), answer);
      }
      const replay = await startReplayServer(answers);
      try {
        const ours: LoadTarget = { name: 'ours', origin, requests: mix.ours };
        const base: LoadTarget = { name: 'node:http', origin: replay.url, requests: mix.replay };
        next = 0;
        const [oa, ba] = await alternate(ours, base, o);
        const sent = oa.rounds.reduce((s, x) => s + x.requests, 0);
        const note = mix.id === 'c' && next > mix.distinct ? `sequence wrapped (${next} > ${mix.distinct} distinct)` : undefined;
        const sizes = [...answers.values()].map((x) => x.body.length);
        results.push({
          id: mix.id,
          title: mix.title,
          ours: oa,
          base: ba,
          ratio: oa.rps / ba.rps,
          note: [note, `${sent} requests to ours`, `answers ${Math.min(...sizes)}–${Math.max(...sizes)} B`].filter(Boolean).join('; '),
        });
      } finally {
        await replay.close();
      }
      printResult(results[results.length - 1]!);
    }
  } finally {
    await server.stop();
  }
  return results;
}

const fmt = (n: number, d = 0): string => n.toFixed(d);

/** One line per mix. */
export function printResult(r: MixResult): void {
  if (r.pending) {
    console.log(`(${r.id}) ${r.title}: PENDING — ${r.pending}`);
    return;
  }
  const { ours, base } = r as Required<MixResult>;
  console.log(
    `(${r.id}) ${r.title}\n` +
      `    ours      ${fmt(ours.rps).padStart(7)} req/s  p50 ${fmt(ours.p50, 1)} ms  p99 ${fmt(ours.p99, 1)} ms  errors ${ours.errors} non2xx ${ours.non2xx}\n` +
      `    node:http ${fmt(base.rps).padStart(7)} req/s  p50 ${fmt(base.p50, 1)} ms  p99 ${fmt(base.p99, 1)} ms\n` +
      `    ratio ours/node:http ${fmt(r.ratio!, 3)}${r.note ? `  (${r.note})` : ''}`,
  );
}
