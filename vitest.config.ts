import { createRequire } from 'node:module';

import pg from 'pg';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/**
 * Two projects: every test (SQLite unless a test picks PostgreSQL itself), and
 * the API tests again with `TEST_BACKEND=postgres`, each file on a fresh
 * PostgreSQL database, so that both backends must give the same answers and
 * errors to the same tests. Where no PostgreSQL server answers (and
 * `PG_TEST_URL` is not set), that project is reported as skipped, with the
 * reason; `STORE_BACKENDS=sqlite` leaves it out.
 */
const pgUrl =
  process.env.PG_TEST_URL || `postgres://postgres@${process.env.PGHOST || '127.0.0.1'}:${process.env.PGPORT || '5432'}/postgres`;
const wantsPostgres = (process.env.STORE_BACKENDS ?? 'sqlite,postgres').split(',').map((s) => s.trim()).includes('postgres');

async function postgresAnswers(): Promise<boolean> {
  if (process.env.PG_TEST_URL) return true; // CI: must be there; the tests fail loudly if not
  const client = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const apiOnPostgres = wantsPostgres
  ? (await postgresAnswers())
    ? {
        include: [
          'tests/api/**/*.test.ts',
          'tests/analytics/**/*.test.ts',
          'tests/ingest/ingest-api.test.ts',
          'tests/ingest/derived-upkeep.test.ts',
          'tests/export/**/*.test.ts',
          'tests/schema/entity-order.test.ts',
        ],
        exclude: ['tests/api/backends.test.ts'],
      }
    : { include: ['tests/postgres-unavailable.pgtest.ts'] }
  : null;

export default defineConfig({
  resolve: {
    // One graphql-js for everyone: Node (and so Apollo and the libraries it loads) resolves
    // "graphql" to its CommonJS build; without this, Vite would give our sources the .mjs build,
    // and schema objects would cross between two copies of graphql-js.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file starts its own servers on ephemeral ports with their own databases.
    fileParallelism: true,
    pool: 'forks',
    projects: [
      { extends: true as const, test: { name: 'all', include: ['tests/**/*.test.ts'] } },
      ...(apiOnPostgres
        ? [{ extends: true as const, test: { name: 'api on postgres', ...apiOnPostgres, env: { TEST_BACKEND: 'postgres' } } }]
        : []),
    ],
  },
});
