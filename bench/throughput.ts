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

async function entityNames(url: string): Promise<{ names: string[]; aliases: string[]; ids: string[] }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: JSON_HEADERS,
    body: JSON.stringify({ query: '{ entities(first: 100) { nodes { id name aliases } } }' }),
  });
  const body = (await res.json()) as { data: { entities: { nodes: { id: string; name: string; aliases: string[] }[] } } };
  const nodes = body.data.entities.nodes;
  return { names: nodes.map((n) => n.name), aliases: nodes.flatMap((n) => n.aliases), ids: nodes.map((n) => n.id) };
}

/** Where each distinct mix is in its sequence (reset per mix before the run). */
const cursors = new Map<string, number>();

/**
 * A mix of distinct requests: `bodies` shuffled; our server walks the sequence
 * from the start, so no request repeats and no response cache can answer;
 * node:http cycles through a pool recorded from the end of the sequence (so
 * recording it warms no cache for ours). A server fast enough to get through
 * the sequence starts it over with a variable `lap` (the lap's number, as a
 * string) added to each request: GraphQL ignores a variable the operation does
 * not declare, so the answer is the same, but the body differs, so the
 * response cache still cannot answer (and, a string, it leaves the cost
 * limit's cache key as it was).
 */
function distinctMix(id: string, title: string, bodies: string[]): Mix {
  const sequence = shuffled(bodies, 42);
  const poolSize = Math.min(2000, Math.floor(sequence.length / 2));
  const pool = sequence.slice(sequence.length - poolSize);
  const walk = sequence.length - poolSize;
  cursors.set(id, 0);
  const request: LoadRequest = {
    method: 'POST',
    path: '/graphql',
    headers: JSON_HEADERS,
    setupRequest: (req) => {
      const i = cursors.get(id)!;
      cursors.set(id, i + 1);
      const lap = Math.floor(i / walk);
      const body = sequence[i % walk]!;
      if (lap === 0) return { ...req, body };
      const parsed = JSON.parse(body) as { query: string; variables?: Record<string, unknown> };
      return { ...req, body: JSON.stringify({ ...parsed, variables: { ...parsed.variables, lap: String(lap) } }) };
    },
  };
  return { id, title, ours: [request], replay: pool.map(post), recorded: pool.map((body) => ({ body })), distinct: walk };
}

/**
 * Record our server's answer to a request. Retried once on a socket error:
 * building the mixes keeps the event loop busy for seconds, so fetch may
 * reuse a keep-alive connection that the server has closed meanwhile.
 */
async function recordOnce(origin: string, body: string): Promise<RecordedResponse> {
  try {
    return await record(origin, 'POST', '/graphql', JSON_HEADERS, body);
  } catch {
    return await record(origin, 'POST', '/graphql', JSON_HEADERS, body);
  }
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
  /** Our server's entry script (default the compiled `dist/cli/start.js`; `src/cli/start.ts` runs it with tsx). */
  entry?: string;
}

/** One mix's result. */
export interface MixResult {
  id: string;
  title: string;
  ours?: Aggregate;
  base?: Aggregate;
  ratio?: number;
  /** node:http's CPU per request / ours: the throughput ratio if CPU were the only limit (robust to machine noise). */
  cpuRatio?: number;
  pending?: string;
  note?: string;
}

export async function runThroughput(o: ThroughputOptions): Promise<MixResult[]> {
  const server: ChildServer = await startChildServer({ nodeFlags: o.nodeFlags, env: o.env, entry: o.entry });
  const origin = new URL(server.url).origin;
  const results: MixResult[] = [];
  try {
    const entityPage = readQuery('examples/entity-page.graphql');
    const paged = readQuery('bench/queries/entity-page-paged.graphql');
    const { names, aliases, ids } = await entityNames(server.url);

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
    // (c) distinct requests: every name and alias × page sizes, shuffled.
    const allNames = [...new Set([...names, ...aliases])];
    const combos: string[] = [];
    for (const name of allNames)
      for (let r = 0; r <= 20; r++)
        for (let s = 0; s <= 20; s++)
          for (let m = 0; m <= 5; m++)
            combos.push(JSON.stringify({ query: paged, variables: { name, relationships: r, statements: s, mentions: m } }));
    mixes.push(distinctMix('c', 'distinct requests (entity page, names × page sizes)', combos));
    // (d) search: words of the article and their prefixes × page sizes.
    const text = readFileSync(join(ROOT, 'seeds', '000_ff0b82d8339bd64f.txt'), 'utf8');
    const words = [...new Set(text.match(/\p{L}{4,}/gu) ?? [])];
    const terms = [...words, ...words.map((w) => w.slice(0, 4)), ...words.slice(0, 200).map((w, i) => `${w} ${words[(i * 7) % words.length]}`)];
    const search = readQuery('bench/queries/search.graphql');
    const typeSets = [null, ['ACTOR', 'PERSON', 'PLACE'], ['STATEMENT', 'DOCUMENT']];
    mixes.push(
      distinctMix(
        'd',
        'search (article words, prefixes, pairs × types × page sizes)',
        terms.flatMap((query) => typeSets.flatMap((types) => [1, 2, 3, 5, 8, 10].map((first) => JSON.stringify({ query: search, variables: { query, first, types } })))),
      ),
    );
    // (e) shortest path: every ordered pair of entities × maximum lengths.
    const path = readQuery('bench/queries/path.graphql');
    const pairs: string[] = [];
    const vias = [null, ['RELATIONSHIP'], ['STATEMENT'], ['EVENT'], ['RELATIONSHIP', 'STATEMENT'], ['RELATIONSHIP', 'EVENT'], ['STATEMENT', 'EVENT']];
    for (const from of ids)
      for (const to of ids)
        if (from !== to)
          for (const maxLength of [1, 2, 3, 4, 5, 6]) for (const via of vias) pairs.push(JSON.stringify({ query: path, variables: { from, to, maxLength, via } }));
    mixes.push(distinctMix('e', 'shortest path (entity pairs × max length × link types)', pairs));
    // (f) timeline: YEAR and MONTH buckets over periods with varied ends.
    const timeline = readQuery('bench/queries/timeline.graphql');
    const periods: string[] = [];
    for (const granularity of ['YEAR', 'MONTH'])
      for (let y0 = 2000; y0 <= 2023; y0++)
        for (let y1 = y0; y1 <= 2024; y1++)
          for (let m = 1; m <= 12; m++)
            for (const d of ['25', '26', '27', '28'])
              periods.push(JSON.stringify({ query: timeline, variables: { granularity, from: `${y0}-${String(m).padStart(2, '0')}-01`, to: `${y1}-${String(m).padStart(2, '0')}-${d}` } }));
    mixes.push(distinctMix('f', 'timeline (YEAR/MONTH × periods)', periods));

    for (const mix of mixes) {
      if (o.only && !o.only.includes(mix.id)) continue;
      if (mix.pending) {
        results.push({ id: mix.id, title: mix.title, pending: mix.pending });
        continue;
      }
      const answers = new Map<string, RecordedResponse>();
      for (const { body } of mix.recorded) {
        const answer = await recordOnce(origin, body);
        const parsed = JSON.parse(answer.body.toString()) as { errors?: unknown };
        if (answer.status !== 200 || parsed.errors) throw new Error(`mix ${mix.id}: ${answer.status} ${answer.body.toString().slice(0, 300)}`);
        answers.set(requestKey('POST', '/graphql', body), answer);
      }
      const replay = await startReplayServer(answers);
      try {
        const ours: LoadTarget = { name: 'ours', origin, requests: mix.ours, pid: server.pid };
        const base: LoadTarget = { name: 'node:http', origin: replay.url, requests: mix.replay, pid: replay.pid };
        if (cursors.has(mix.id)) cursors.set(mix.id, 0);
        const [oa, ba] = await alternate(ours, base, o);
        const walked = cursors.get(mix.id) ?? 0;
        const sent = oa.rounds.reduce((s, x) => s + x.requests, 0);
        const note = walked > mix.distinct ? `sequence started over with a lap variable: ${walked} requests > ${mix.distinct} distinct` : undefined;
        const sizes = [...answers.values()].map((x) => x.body.length);
        results.push({
          id: mix.id,
          title: mix.title,
          ours: oa,
          base: ba,
          ratio: oa.rps / ba.rps,
          cpuRatio: oa.cpuPerRequest && ba.cpuPerRequest ? ba.cpuPerRequest / oa.cpuPerRequest : undefined,
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
      `    ours      ${fmt(ours.rps).padStart(7)} req/s  p50 ${fmt(ours.p50, 1)} ms  p99 ${fmt(ours.p99, 1)} ms  ${fmt(ours.cpuPerRequest ?? 0)} µs CPU/req  errors ${ours.errors} non2xx ${ours.non2xx}\n` +
      `    node:http ${fmt(base.rps).padStart(7)} req/s  p50 ${fmt(base.p50, 1)} ms  p99 ${fmt(base.p99, 1)} ms  ${fmt(base.cpuPerRequest ?? 0)} µs CPU/req\n` +
      `    ratio ours/node:http ${fmt(r.ratio!, 3)} (requests/s), ${fmt(r.cpuRatio ?? 0, 3)} (CPU per request)${r.note ? `  (${r.note})` : ''}`,
  );
}
