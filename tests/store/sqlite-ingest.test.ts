/**
 * The SQLite store's ingest-side guarantees that the API tests do not reach:
 * the migration of a database built before ingest existed, and the seed
 * build leaving ingested documents in place.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';

import { buildGraph } from '../../src/build/build-graph.js';
import { Ingestor } from '../../src/ingest/ingest.js';
import { SQLITE_MIGRATIONS } from '../../src/store/sqlite/sqlite-migrations.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { SEEDS_DIR } from '../helpers/test-server.js';

const dirs: string[] = [];
const tempDb = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'kg-store-'));
  dirs.push(dir);
  return join(dir, 'kg.sqlite');
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('SQLite store: ingest', () => {
  it('migrates a pre-ingest database: its rows become CURATED with confidence 1, owned by the seeds', async () => {
    const path = tempDb();
    const db = new Database(path);
    db.exec(SQLITE_MIGRATIONS[0]!);
    db.pragma('user_version = 1');
    db.prepare(
      "INSERT INTO statements (id, kind, text, attribution, speaker_id, occasion_id, document_id, position, sort_key) VALUES ('statement:a', 'ASSERTION', 'x', 'DIRECT_QUOTE', 'person:p', NULL, 'document:d', 3, 'document:d|000000003')",
    ).run();
    db.prepare("INSERT INTO entities (id, type, kind, name, title, description, mention_count, sort_key) VALUES ('person:p', 'PERSON', NULL, 'P', NULL, 'd', 0, 'p')").run();
    db.close();

    const store = new SqliteStore(path);
    try {
      const [statement] = await store.statementsByIds(['statement:a']);
      expect(statement).toMatchObject({ speakerId: 'person:p', method: 'CURATED', confidence: 1, extractor: null, seed: true, position: 3 });
      const [entity] = await store.entitiesByIds(['person:p']);
      expect(entity).toMatchObject({ method: 'CURATED', confidence: 1, seed: true });
    } finally {
      await store.close();
    }
  });

  it('a forced seed rebuild replaces the seed documents and leaves ingested ones, with their mentions of seed entities', async () => {
    const store = new SqliteStore(tempDb());
    try {
      await buildGraph(store, SEEDS_DIR);
      const [before] = await store.entitiesByIds(['actor:minusma']);
      const outcome = await new Ingestor(store).ingest(
        { text: 'MINUSMA convoys left Gao on Monday. MINUSMA said more would follow.', title: 'Convoys', publishedOn: '2023-07-03' },
        { actor: 'test', at: '2023-07-03T10:00:00.000Z' },
      );
      expect(outcome.status).toBe('CREATED');
      const version = await store.graphVersion();
      await buildGraph(store, SEEDS_DIR, { force: true });
      expect(await store.graphVersion()).toBe(version + 1);
      const [doc] = await store.documentsByIds([outcome.documentId]);
      expect(doc?.seed).toBe(false);
      const [after] = await store.entitiesByIds(['actor:minusma']);
      // Two mentions in the ingested text ("MINUSMA" twice) on top of the seed's.
      expect(after!.mentionCount).toBe(before!.mentionCount + 2);
      const mentions = await store.listPage({ list: 'mentions', document: outcome.documentId }, { first: 100, after: null });
      expect(mentions.rows.filter((m) => m.entityId === 'actor:minusma')).toHaveLength(2);
    } finally {
      await store.close();
    }
  });
});
