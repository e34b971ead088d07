/**
 * `tsx bench/profile-summary.ts file.cpuprofile [top]`: where a V8 CPU profile
 * (node --cpu-prof) spends its time — self time by function and by package.
 * `FROM_MS=8000` leaves out the profile's first 8 s (a server's start-up and
 * warm-up), so that the shares are those of the steady state.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file!, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfMs = new Map<number, number>();
const fromMs = Number(process.env.FROM_MS ?? 0);
let elapsedMs = 0;
profile.samples.forEach((id, i) => {
  const ms = (profile.timeDeltas[i] ?? 0) / 1000;
  elapsedMs += ms;
  if (elapsedMs >= fromMs) selfMs.set(id, (selfMs.get(id) ?? 0) + ms);
});
const total = [...selfMs.values()].reduce((a, b) => a + b, 0);

const where = (url: string): string => {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  if (url.includes('/src/')) return 'src/' + url.split('/src/')[1]!.split('/')[0];
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  return url ? url.split('/').slice(-1)[0]! : '(native/vm)';
};
const fnTotals = new Map<string, number>();
const pkgTotals = new Map<string, number>();
for (const [id, ms] of selfMs) {
  const n = byId.get(id)!;
  const fn = `${n.callFrame.functionName || '(anonymous)'} ${where(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  fnTotals.set(fn, (fnTotals.get(fn) ?? 0) + ms);
  const pkg = n.callFrame.url ? where(n.callFrame.url) : n.callFrame.functionName;
  pkgTotals.set(pkg, (pkgTotals.get(pkg) ?? 0) + ms);
}
const top = Number(topArg ?? 25);
const show = (title: string, m: Map<string, number>): void => {
  console.log(`\n${title} (total ${total.toFixed(0)} ms)`);
  for (const [k, ms] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((100 * ms) / total).toFixed(1).padStart(5)}%  ${ms.toFixed(0).padStart(6)} ms  ${k}`);
  }
};
show('self time by package', pkgTotals);
show('self time by function', fnTotals);
