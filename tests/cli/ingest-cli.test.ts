/**
 * `npm run ingest -- <folder>` as a user runs it: a real process over a
 * temporary SQLite file.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);

describe('ingest command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kg-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const ingest = (...args: string[]) =>
    run(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'src/cli/ingest.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: `file:${join(dir, 'kg.sqlite')}`, SEEDS_DIR: 'seeds' },
    });

  it('ingests a folder and prints a summary; a second run finds nothing new', { timeout: 90_000 }, async () => {
    const first = await ingest('tests/fixtures');
    // The fixture folder holds one article with eight quotes.
    expect(first.stdout).toMatch(/^Documents: +1 \(1 new, 0 updated, 0 unchanged, 0 failed\)/m);
    expect(first.stdout).toMatch(/^Statements: +8$/m);
    expect(first.stdout).toMatch(/^Entities: +\d+ new \(unconfirmed candidates\), \d+ matched$/m);
    const second = await ingest('tests/fixtures');
    expect(second.stdout).toMatch(/^Documents: +1 \(0 new, 0 updated, 1 unchanged, 0 failed\)/m);
  });

  it('exits non-zero with a usage line when given nothing', { timeout: 60_000 }, async () => {
    await expect(ingest()).rejects.toMatchObject({ code: 1 });
  });
});
