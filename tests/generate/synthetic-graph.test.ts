/**
 * The synthetic graph generator, run as `npm run generate` runs it (the CLI,
 * in a child process; its worker writing mentions and evidence into part
 * files of its own) for 2,000 entities: counts in the documented
 * proportions, evidence and mentions that are real spans of the generated
 * texts (checked with a code point slice of our own and with the seed's
 * mention matcher), partial dates of every precision, determinism, and a
 * server that answers queries on the result.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { generateGraph } from '../../src/generate/synthetic-graph.js';
import { findMentions, type NamePattern } from '../../src/graph/mention-matcher.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const ROOT = join(import.meta.dirname, '..', '..');
const ENTITIES = 2000;

let dir: string;
let path: string;
let db: Database.Database;
let report: any;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kg-generate-'));
  path = join(dir, 'synthetic.sqlite');
  // With the worker writing two tables into part files of its own, copied in at the end.
  const args = ['--entities', String(ENTITIES), '--out', `file:${path}`, '--quiet', '--worker-writes', 'mentions,evidence'];
  const stdout = execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/generate.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  report = JSON.parse(stdout.slice(stdout.indexOf('{')));
  db = new Database(path, { readonly: true });
}, 120_000);

afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

const count = (table: string, where = ''): number => (db.prepare(`SELECT COUNT(*) AS n FROM ${table} ${where}`).get() as { n: number }).n;

/** Code points of a string, by the language's own iteration (independent of CodePointText). */
const codePoints = (s: string): string[] => Array.from(s);

describe('npm run generate -- --entities 2000', () => {
  it('writes the documented proportions: ×5 relationships, ×2 statements, ÷5 events, ÷10 documents', () => {
    expect(count('entities')).toBe(2000);
    expect(count('relationships')).toBe(10_000);
    expect(count('statements')).toBe(4000);
    expect(count('events')).toBe(400);
    expect(count('documents')).toBe(200);
    // Every entity has its name and at least one alias; the report counts what is in the file.
    expect(count('aliases', 'WHERE ord = 0')).toBe(2000);
    expect(count('aliases', 'WHERE ord = 1')).toBe(2000);
    expect(report.counts.relationships).toBe(10_000);
    // The kept list sizes (triggers dropped during the load) are recounted after it.
    for (const [list, n] of [['entities', 2000], ['relationships', 10_000], ['statements', 4000], ['events', 400], ['documents', 200]] as const) {
      expect((db.prepare('SELECT n FROM list_counts WHERE list = ?').get(list) as { n: number }).n, list).toBe(n);
    }
    expect(report.rows).toBeGreaterThan(2000 + 10_000 + 4000 + 400 + 200);
    // The part files were copied in and deleted.
    expect(readdirSync(dir).filter((f) => f.includes('.part'))).toEqual([]);
  });

  it('gives every fact evidence whose exact text is the code point slice of its document, with 32 code points of context', () => {
    const texts = new Map<string, string[]>();
    for (const d of db.prepare('SELECT id, text, length FROM documents').all() as { id: string; text: string; length: number }[]) {
      const cps = codePoints(d.text);
      expect(d.length).toBe(cps.length);
      texts.set(d.id, cps);
    }
    // Some documents hold letters outside the BMP, so offsets and UTF-16 indexes differ there.
    expect([...texts.values()].some((cps) => cps.join('').length !== cps.length)).toBe(true);
    const sample = db
      .prepare('SELECT * FROM evidence WHERE (rowid % 7) = 0 UNION ALL SELECT * FROM evidence WHERE document_id = ? ')
      .all('document:synthetic-0000003') as any[];
    expect(sample.length).toBeGreaterThan(2000);
    for (const e of sample) {
      const cps = texts.get(e.document_id)!;
      expect(cps.slice(e.start_offset, e.end_offset).join('')).toBe(e.exact);
      expect(cps.slice(Math.max(0, e.start_offset - 32), e.start_offset).join('')).toBe(e.prefix);
      expect(cps.slice(e.end_offset, e.end_offset + 32).join('')).toBe(e.suffix);
    }
    for (const table of ['entities', 'relationships', 'statements', 'events']) {
      expect(count(table, `WHERE id NOT IN (SELECT owner_id FROM evidence)`), `${table} without evidence`).toBe(0);
    }
  });

  it('records as mentions exactly the names the seed mention matcher finds in the texts', () => {
    const patterns: NamePattern[] = (db.prepare('SELECT entity_id, name FROM aliases').all() as { entity_id: string; name: string }[]).map((a) => ({
      name: a.name,
      entityId: a.entity_id,
    }));
    for (const documentId of ['document:synthetic-0000000', 'document:synthetic-0000003', 'document:synthetic-0000199']) {
      const { text } = db.prepare('SELECT text FROM documents WHERE id = ?').get(documentId) as { text: string };
      const cps = codePoints(text);
      const found = findMentions(text, patterns).map((m) => {
        const start = codePoints(text.slice(0, m.startIndex)).length;
        return `${m.entityId}@${start}+${codePoints(m.name).length}`;
      });
      const stored = (db.prepare('SELECT entity_id, start_offset, end_offset, exact FROM mentions WHERE document_id = ?').all(documentId) as any[]).map((m) => {
        expect(cps.slice(m.start_offset, m.end_offset).join('')).toBe(m.exact);
        return `${m.entity_id}@${m.start_offset}+${m.end_offset - m.start_offset}`;
      });
      expect(stored.length).toBeGreaterThan(50);
      expect(new Set(stored)).toEqual(new Set(found));
    }
    const [{ wrong }] = db.prepare('SELECT COUNT(*) AS wrong FROM entities e WHERE mention_count <> (SELECT COUNT(*) FROM mentions m WHERE m.entity_id = e.id)').all() as any[];
    expect(wrong).toBe(0);
  });

  it('dates events with YEAR, MONTH and DAY precision, each covering the right days', () => {
    const rows = db.prepare('SELECT precision, year, month, day, earliest, latest FROM events').all() as any[];
    const by = (p: string) => rows.filter((r) => r.precision === p);
    for (const p of ['YEAR', 'MONTH', 'DAY']) expect(by(p).length, p).toBeGreaterThan(20);
    for (const r of by('YEAR')) {
      expect([r.month, r.day, r.earliest, r.latest]).toEqual([null, null, `${r.year}-01-01`, `${r.year}-12-31`]);
    }
    for (const r of by('MONTH')) {
      const last = new Date(Date.UTC(r.year, r.month, 0)).getUTCDate();
      const mm = String(r.month).padStart(2, '0');
      expect([r.day, r.earliest, r.latest]).toEqual([null, `${r.year}-${mm}-01`, `${r.year}-${mm}-${last}`]);
    }
    for (const r of by('DAY')) expect(r.earliest).toBe(r.latest);
  });

  it('is deterministic: the same seed gives the same rows, another seed other rows', () => {
    const first = (seed: number) => generateGraph({ entities: 300, seed, batchDocuments: 10 }).next().value!;
    expect(JSON.stringify(first(7))).toBe(JSON.stringify(first(7)));
    expect(first(7).documents[0]!.text).not.toBe(first(8).documents[0]!.text);
  });
});

describe('a server on the generated graph', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ build: false, config: { databaseUrl: `file:${path}`, nodeEnv: 'production' } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('answers the analyst queries from the derived data the bulk loader wrote', async () => {
    const e = db.prepare("SELECT e.id, a.name AS alias, e.degree FROM entities e JOIN aliases a ON a.entity_id = e.id AND a.ord = 1 WHERE e.rowid = 77").get() as any;
    const r = db.prepare('SELECT source_id, target_id FROM relationships WHERE rowid = 123').get() as any;
    const hub = db.prepare('SELECT id, degree FROM entities ORDER BY degree DESC LIMIT 1').get() as any;
    const dated = (db.prepare('SELECT COUNT(*) AS n FROM events WHERE precision IS NOT NULL').get() as any).n;
    const counted = (db.prepare("SELECT COUNT(*) AS n FROM relationships WHERE source_id = ? OR target_id = ?").get(e.id, e.id) as any).n;
    expect(e.degree).toBe(counted);
    const data = await server.data(
      `query ($alias: String!, $from: ID!, $to: ID!, $hub: ID!) {
        search(query: $alias, first: 5) { nodes { subject { ... on Node { id } } } }
        path(from: $from, to: $to) { length }
        neighborhood(id: $hub, depth: 2, limit: 50) { truncated nodes { id } }
        timeline(granularity: YEAR) { count }
      }`,
      { alias: e.alias, from: r.source_id, to: r.target_id, hub: hub.id },
    );
    expect(data.search.nodes.map((n: any) => n.subject.id)).toContain(e.id);
    expect(data.path.length).toBe(1);
    expect(data.neighborhood.nodes.length).toBeLessThanOrEqual(50);
    expect(data.neighborhood.truncated).toBe(hub.degree >= 50);
    expect(data.timeline.reduce((sum: number, b: any) => sum + b.count, 0)).toBe(dated);
  });

  it('finds entities by alias, counts their relationships as the database does, and serves their evidence', async () => {
    const picks = db
      .prepare(
        `SELECT e.id, a.name AS alias, (SELECT COUNT(*) FROM relationships r WHERE r.source_id = e.id OR r.target_id = e.id) AS degree
         FROM entities e JOIN aliases a ON a.entity_id = e.id AND a.ord = 1 ORDER BY degree DESC LIMIT 3`,
      )
      .all() as { id: string; alias: string; degree: number }[];
    expect(picks[0]!.degree).toBeGreaterThan(20);
    for (const pick of picks) {
      const data = await server.data(
        `query ($name: String!) { entity(name: $name) { id relationships(first: 5) { totalCount nodes { evidence { exact document { id } } } } } }`,
        { name: pick.alias.toUpperCase() },
      );
      expect(data.entity.id).toBe(pick.id);
      expect(data.entity.relationships.totalCount).toBe(pick.degree);
      expect(data.entity.relationships.nodes).toHaveLength(5);
      for (const node of data.entity.relationships.nodes) expect(node.evidence[0].exact.length).toBeGreaterThan(0);
    }
    const ready = await server.fetch('/ready');
    expect(ready.status).toBe(200);
  });
});
