/**
 * `npx tsx bench/generate-ab.mts --entities 100000 --rounds 2 -- 'label=args' 'label=args' …`:
 * the build rate of `npm run generate` for several sets of CLI arguments (an
 * argument `cli=path` runs another copy of src/cli/generate.ts, e.g. an older
 * commit's unpacked with `git archive <commit> src | tar -x -C data/baseline`), run
 * alternately (A, B, A, B, …) so that each sees the same noise on a shared
 * machine. Per run: wall seconds, facts/s, CPU seconds of the whole process and
 * of its busiest threads (sampled from /proc every 100 ms: the writing main
 * thread and the generator's worker), and the loader's phases. Then the median per label.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  options: { entities: { type: 'string', default: '100000' }, rounds: { type: 'string', default: '2' }, out: { type: 'string', default: 'data/ab.sqlite' } },
  allowPositionals: true,
});
const configs = (positionals.length ? positionals : ['default=']).map((p) => {
  const i = p.indexOf('=');
  return { label: p.slice(0, i), args: p.slice(i + 1).split(' ').filter(Boolean) };
});
const TICK = 100; // clock ticks per second (USER_HZ)

/** CPU seconds per thread id of a process, from /proc. */
function threadCpu(pid: number): Map<string, { name: string; cpu: number }> {
  const out = new Map<string, { name: string; cpu: number }>();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        out.set(tid, { name, cpu: (Number(f[11]) + Number(f[12])) / TICK });
      } catch {
        /* thread ended */
      }
    }
  } catch {
    /* process ended */
  }
  return out;
}

async function run(allArgs: string[]): Promise<Record<string, unknown>> {
  const load = loadavg()[0]!;
  const cli = allArgs.find((a) => a.startsWith('cli='))?.slice(4) ?? 'src/cli/generate.ts';
  const args = allArgs.filter((a) => !a.startsWith('cli='));
  // A compiled copy (dist/cli/generate.js, `npm run build`) runs under plain Node.
  const loader = cli.endsWith('.js') ? [] : ['--import', 'tsx'];
  const child = spawn(process.execPath, [...loader, cli, '--entities', values.entities!, '--out', `file:${values.out}`, '--force', '--quiet', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  const seen = new Map<string, { name: string; cpu: number }>();
  const timer = setInterval(() => {
    for (const [tid, t] of threadCpu(child.pid!)) seen.set(tid, t);
  }, 100);
  await new Promise((resolve) => child.on('exit', resolve));
  clearInterval(timer);
  const report = JSON.parse(stdout.slice(stdout.indexOf('{')));
  const main = seen.get(String(child.pid))?.cpu ?? 0;
  const others = [...seen].filter(([tid]) => tid !== String(child.pid)).sort((a, b) => b[1].cpu - a[1].cpu);
  rmSync(values.out!, { force: true });
  return {
    load1: Number(load.toFixed(2)),
    seconds: report.seconds,
    factsPerSecond: report.factsPerSecond,
    cpuSeconds: report.cpuSeconds,
    mainCpu: Number(main.toFixed(1)),
    busiestOtherThread: others[0] ? `${others[0][1].name} ${others[0][1].cpu.toFixed(1)}` : '',
    phases: report.phases,
  };
}

const results = new Map<string, Record<string, unknown>[]>();
for (let round = 0; round < Number(values.rounds); round++) {
  for (const c of configs) {
    const r = await run(c.args);
    console.log(JSON.stringify({ label: c.label, round, ...r }));
    results.set(c.label, [...(results.get(c.label) ?? []), r]);
  }
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const [label, rs] of results) {
  console.log(
    `${label}: median wall ${median(rs.map((r) => r.seconds as number))} s, facts/s ${median(rs.map((r) => r.factsPerSecond as number))}, CPU ${median(rs.map((r) => r.cpuSeconds as number))} s, main thread CPU ${median(rs.map((r) => r.mainCpu as number))} s`,
  );
}
