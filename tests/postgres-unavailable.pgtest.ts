/**
 * Stands in for the API tests on PostgreSQL when no PostgreSQL server answers
 * (see vitest.config.ts): they are reported as skipped, with the reason.
 */
import { it } from 'vitest';

import { PG_ADMIN_URL } from './helpers/backends.js';

it.skip(`API tests on PostgreSQL (skipped: no PostgreSQL server answers at ${PG_ADMIN_URL.replace(/:[^:@/]*@/, ':***@')})`, () => {});
