import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildGraph } from '../../src/build/build-graph.js';
import { indexSubjects, recountEntities, unindexSubjects, writeSentences } from '../../src/store/sqlite/sqlite-derived.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { SEEDS_DIR } from '../helpers/test-server.js';

describe('SQLite derived data can be kept up to date one subject at a time', () => {
  let dir: string;
  let store: SqliteStore;
  let db: Database.Database;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kg-derived-'));
    store = new SqliteStore(join(dir, 'kg.sqlite'));
    await buildGraph(store, SEEDS_DIR);
    db = new Database(join(dir, 'kg.sqlite'));
  });
  afterAll(async () => {
    db?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const ids = async (terms: string[]): Promise<string[]> =>
    (await store.search({ terms, match: 'ALL' }, { first: 100, after: null })).rows.map((r) => r.subjectId);

  it('replaces a subject’s index row by id, and removes it', async () => {
    expect(await ids(['wagner'])).toContain('actor:wagner');
    expect(await ids(['zyxwv'])).toEqual([]);
    db.transaction(() => indexSubjects(db, [{ subjectId: 'actor:wagner', subjectType: 'ACTOR', name: 'Wagner Zyxwv', body: '' }]))();
    expect(await ids(['zyxwv'])).toEqual(['actor:wagner']);
    expect(await store.searchCount({ terms: ['zyxwv'], match: 'ALL' })).toBe(1);
    db.transaction(() => unindexSubjects(db, ['actor:wagner']))();
    expect(await ids(['zyxwv'])).toEqual([]);
    expect(await ids(['wagner'])).not.toContain('actor:wagner');
  });

  it('recounts degree and mentions, and re-segments a document', async () => {
    const before = (await store.entitiesByIds(['actor:russia']))[0]!;
    db.prepare('UPDATE entities SET degree = 0, mention_count = 0 WHERE id = ?').run('actor:russia');
    recountEntities(db, ['actor:russia']);
    const after = (await store.entitiesByIds(['actor:russia']))[0]!;
    expect([after.degree, after.mentionCount]).toEqual([before.degree, before.mentionCount]);
    expect(after.degree).toBe(8);
    const pairs = await store.coMentions(100);
    db.prepare('DELETE FROM sentences').run();
    expect(await store.coMentions(100)).toEqual([]);
    const doc = (await store.documentsByIds(['document:mali-asks-un-to-end-peacekeeping-mission']))[0]!;
    writeSentences(db, [doc]);
    expect(await store.coMentions(100)).toEqual(pairs);
  });
});
