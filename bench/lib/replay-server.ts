/**
 * The physical limit: a bare node:http server that answers each request with
 * the bytes (status, headers, body) our server gave for the same request,
 * looked up by method, URL and body. It reads the whole body first, as any
 * server must, and does nothing else.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A recorded answer. */
export interface RecordedResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** The lookup key of a request. */
export function requestKey(method: string, url: string, body: string | Buffer): string {
  return `${method} ${url}\n${body.toString()}`;
}

/** Serve `answers` on a free loopback port in this process. */
export async function serveReplay(answers: Map<string, RecordedResponse>): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = answers.get(requestKey(req.method ?? 'GET', req.url ?? '/', Buffer.concat(chunks)));
      if (!answer) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Headers that are per connection or recomputed by node:http, not replayed. */
const HOP_HEADERS = new Set(['connection', 'keep-alive', 'date', 'transfer-encoding']);

/** Fetch a request from our server and record the answer. */
export async function record(origin: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<RecordedResponse> {
  const res = await fetch(origin + path, { method, headers, body });
  const out: Record<string, string> = {};
  res.headers.forEach((value, key) => {
    if (!HOP_HEADERS.has(key)) out[key] = value;
  });
  return { status: res.status, headers: out, body: Buffer.from(await res.arrayBuffer()) };
}

/**
 * Start the replay server in its own process (the bench process is busy
 * driving autocannon), with the same runtime flags as our server.
 */
export async function startReplayServer(answers: Map<string, RecordedResponse>): Promise<{ url: string; pid: number; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'kg-replay-'));
  const file = join(dir, 'answers.json');
  const entries = [...answers].map(([key, a]) => [key, { status: a.status, headers: a.headers, body: a.body.toString('base64') }]);
  writeFileSync(file, JSON.stringify(entries));
  const child = fork(join(import.meta.dirname, 'replay-main.ts'), [file], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m) => resolve(String(m)));
    child.once('exit', (code) => reject(new Error(`replay server exited (${code})`)));
  });
  return {
    url,
    pid: child.pid!,
    async close() {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
