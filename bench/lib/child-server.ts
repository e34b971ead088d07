/**
 * Our server as a child process, as an operator runs it (`src/cli/start.ts`),
 * in production mode on a fresh SQLite file (or a given one) and a free port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The project root (bench/lib/../..). */
export const ROOT = join(import.meta.dirname, '..', '..');

/** A running child server. */
export interface ChildServer {
  url: string;
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
  /** Entry script; default `src/cli/start.ts` (builds from the seeds first). */
  entry?: string;
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

/** Start `src/cli/start.ts` in production mode and wait until it serves. */
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
    ...options.env,
  };
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), '--import', 'tsx', join(ROOT, options.entry ?? 'src/cli/start.ts')], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (/Serving http/.test(output)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before serving:\n${output}`)));
  });
  return {
    url: `http://127.0.0.1:${port}/graphql`,
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
    },
  };
}
