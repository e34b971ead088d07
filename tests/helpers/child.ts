/**
 * Child processes for tests: run a TypeScript entry point with tsx in its own
 * Node process, and read its JSON log lines as they come.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/** The project root. */
export const ROOT = join(import.meta.dirname, '..', '..');

/** A child process with its parsed stdout JSON lines. */
export interface Child {
  process: ChildProcess;
  lines: Record<string, any>[];
  stderr: () => string;
  /** Resolves with the first line that matches. */
  waitForLine(match: (line: Record<string, any>) => boolean, timeoutMs?: number): Promise<Record<string, any>>;
  /** Resolves with the exit code (or the signal name). */
  exited: Promise<number | string>;
  /** Like `exited`, once all of the child's output has been read too ('exit' can come before the last of stdout). */
  closed: Promise<number | string>;
}

/** Run `node --import tsx <script> ...args` from the project root. */
export function runTs(script: string, args: string[], env: Record<string, string>): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, any>[] = [];
  const listeners = new Set<() => void>();
  let stderr = '';
  let buffer = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    for (const part of parts) {
      try {
        lines.push(JSON.parse(part));
      } catch {
        lines.push({ text: part });
      }
    }
    for (const listener of listeners) listener();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const closed = new Promise<number | string>((resolve) => child.once('close', (code, signal) => resolve(code ?? signal ?? -1)));
  return {
    process: child,
    lines,
    stderr: () => stderr,
    exited,
    closed,
    waitForLine(match, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const line = lines.find(match);
          if (line) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(line);
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`No matching line within ${timeoutMs} ms; stderr: ${stderr.slice(-2000)}`));
        }, timeoutMs);
        listeners.add(check);
        void exited.then(() => setTimeout(check, 0));
        check();
      });
    },
  };
}
