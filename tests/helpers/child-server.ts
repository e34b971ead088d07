/**
 * A server in its own process on an ephemeral port: `src/cli/start.ts` run by
 * Node with tsx, or the compiled `dist/cli/start.js` that `npm start` runs
 * (`{ built: true }`; build it first with `npm run build`). For tests where
 * several instances share one database, and for the compiled server.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

import { postGraphQL, type GqlResult } from './test-server.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** A server process and what it printed. */
export interface ChildServer {
  process: ChildProcess;
  /** The GraphQL endpoint it printed. */
  url: string;
  /** Every line it printed on stdout and stderr so far. */
  lines: string[];
  /** POST a GraphQL operation. */
  gql<T = any>(query: string, variables?: Record<string, unknown>): Promise<GqlResult<T>>;
  /** The `x-graph-version` header of a small request: the graph version the instance believes current. */
  graphVersion(): Promise<number>;
  /** Resolve with the first line (printed from now on, or already) matching `pattern` after index `from`. */
  waitForLine(pattern: RegExp, from?: number, timeoutMs?: number): Promise<string>;
  /** SIGTERM, then SIGKILL if it has not exited within 5 s. */
  stop(): Promise<void>;
}

/** Start the server with `env` (PORT=0, HOST=127.0.0.1 and NODE_ENV=test by default). */
export async function startChildServer(env: Record<string, string>, options: { built?: boolean } = {}): Promise<ChildServer> {
  const args = options.built ? [join(ROOT, 'dist', 'cli', 'start.js')] : ['--import', 'tsx', join(ROOT, 'src', 'cli', 'start.ts')];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  const feed = (chunk: Buffer, partial: { text: string }) => {
    partial.text += chunk.toString('utf8');
    const parts = partial.text.split('\n');
    partial.text = parts.pop()!;
    lines.push(...parts);
    for (const wake of [...waiters]) wake();
  };
  const out = { text: '' };
  const err = { text: '' };
  child.stdout!.on('data', (c: Buffer) => feed(c, out));
  child.stderr!.on('data', (c: Buffer) => feed(c, err));
  let exited = false;
  child.once('exit', () => {
    exited = true;
    for (const wake of [...waiters]) wake();
  });

  const waitForLine = (pattern: RegExp, from = 0, timeoutMs = 60_000): Promise<string> =>
    new Promise((resolve, reject) => {
      const check = () => {
        const line = lines.slice(from).find((l) => pattern.test(l));
        if (line !== undefined) return done(() => resolve(line));
        if (exited) return done(() => reject(new Error(`server exited before printing ${pattern}:\n${lines.join('\n')}`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms:\n${lines.join('\n')}`))), timeoutMs);
      const done = (finish: () => void) => {
        clearTimeout(timer);
        waiters.delete(check);
        finish();
      };
      waiters.add(check);
      check();
    });

  // The server logs JSON lines (pino); this one says where it serves.
  const serving = await waitForLine(/"msg":"serving"/);
  const url = String(JSON.parse(serving).url);
  return {
    process: child,
    url,
    lines,
    gql: (query, variables) => postGraphQL(url, query, variables),
    async graphVersion() {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      await res.arrayBuffer();
      return Number(res.headers.get('x-graph-version'));
    },
    waitForLine,
    async stop() {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await gone;
      clearTimeout(timer);
    },
  };
}
