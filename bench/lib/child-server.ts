/**
 * Our server as a child process, as an operator runs it (`npm start`: the
 * compiled `dist/cli/start.js`, built by `buildServer`), in production mode on
 * a fresh SQLite file (or a given one) and a free port.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The project root (bench/lib/../..). */
export const ROOT = join(import.meta.dirname, '..', '..');

/** A running child server. */
export interface ChildServer {
  url: string;
  /** The server's log (one JSON line per request). */
  logPath: string;
  pid: number;
  child: ChildProcess;
  /** Peak resident set size of the child so far, in bytes (Linux VmHWM). */
  peakRss(): Promise<number>;
  /** SIGTERM and wait for the exit (a CPU profile, if asked for, is written then). */
  stop(): Promise<void>;
}

/** Options of `startChildServer`. */
export interface ChildServerOptions {
  /** Database URL; default a fresh SQLite file in a temporary folder. */
  databaseUrl?: string;
  /** Extra environment. */
  env?: Record<string, string>;
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeFlags?: string[];
  /** Entry script; default `dist/cli/start.js` (see `buildServer`). A `.ts` entry runs with tsx. */
  entry?: string;
}

/** Compile the server as `npm start` does (`npm run build`: codegen, then tsc into dist/). */
export function buildServer(): void {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Start the server (`dist/cli/start.js` unless `entry` says otherwise) in production mode and wait until it serves. */
export async function startChildServer(options: ChildServerOptions = {}): Promise<ChildServer> {
  const dir = options.databaseUrl ? null : mkdtempSync(join(tmpdir(), 'kg-bench-'));
  const port = await freePort();
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: options.databaseUrl ?? `file:${join(dir!, 'kg.sqlite')}`,
    SEEDS_DIR: join(ROOT, 'seeds'),
    // One client on loopback sends thousands of requests a second: the per-client rate limit would answer 429.
    RATE_LIMIT_PER_SECOND: '0',
    ...options.env,
  };
  // The server logs a line per request, as in production; to a file, so that reading a pipe costs the bench nothing.
  const logDir = mkdtempSync(join(tmpdir(), 'kg-bench-log-'));
  const logPath = join(logDir, 'server.log');
  const log = openSync(logPath, 'w');
  const entry = options.entry ?? 'dist/cli/start.js';
  const loader = entry.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), ...loader, join(ROOT, entry)], {
    cwd: ROOT,
    env,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}/graphql`;
  for (let waited = 0; ; waited += 100) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}) before serving:\n${readFileSync(logPath, 'utf8').slice(-3000)}`);
    const ready = await fetch(`http://127.0.0.1:${port}/ready`).then((r) => r.ok, () => false);
    if (ready) break;
    if (waited > 600_000) throw new Error('server did not get ready within 10 minutes');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    logPath,
    pid: child.pid!,
    child,
    async peakRss() {
      const { readFile } = await import('node:fs/promises');
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => '');
      const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      return kb * 1024;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      if (dir) rmSync(dir, { recursive: true, force: true });
      rmSync(logDir, { recursive: true, force: true });
    },
  };
}
