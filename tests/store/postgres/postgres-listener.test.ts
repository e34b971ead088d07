/**
 * The LISTEN connection of the PostgreSQL store survives losing its
 * connection: it reconnects, and a change committed while it was away is
 * still reported (it re-reads the graph version on reconnecting).
 */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';

import { openStore } from '../../../src/store/open-store.js';
import type { GraphChange, GraphStore } from '../../../src/store/store.js';
import { backend, backendTitle, type TestDatabase } from '../../helpers/backends.js';
import { fixtureGraph } from '../fixture-graph.js';

const postgres = backend('postgres');

describe.skipIf(!postgres.available)(backendTitle(postgres, 'graph change listener'), () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  });

  it('reconnects after its connection is killed and reports the change it missed', async () => {
    const db: TestDatabase = await postgres.createDatabase();
    cleanup.push(() => db.drop());
    const watcher: GraphStore = await openStore(db.url);
    cleanup.push(() => watcher.close());
    const writer: GraphStore = await openStore(db.url);
    cleanup.push(() => writer.close());

    const seen: GraphChange[] = [];
    let wake: () => void = () => undefined;
    const stop = await watcher.onGraphChanged((change) => {
      seen.push(change);
      wake();
    });
    const next = (count: number) =>
      new Promise<void>((resolve) => {
        wake = () => seen.length >= count && resolve();
        wake();
      });

    // Kill the listener's connection, as a failover or an idle timeout would, then write at once.
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    const { rows } = await admin.query(
      "SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'conflict-kg listener'",
    );
    await admin.end();
    expect(rows).toHaveLength(1);
    await writer.replaceGraph(fixtureGraph(), 'written while the listener was away');
    await next(1);
    expect(seen).toEqual([{ version: 1 }]);

    // Listening again: the next write is reported too.
    await writer.replaceGraph(fixtureGraph(), 'after');
    await next(2);
    expect(seen).toEqual([{ version: 1 }, { version: 2 }]);
    stop();
  });
});
