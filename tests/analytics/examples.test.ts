import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestServer, type TestServer } from '../helpers/test-server.js';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples');

describe('every analyst example operation (examples/analyst-*.graphql) returns data without errors, with its default variables', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  for (const file of readdirSync(EXAMPLES).filter((f) => f.startsWith('analyst-') && f.endsWith('.graphql'))) {
    it(file, async () => {
      const { data, errors, status } = await server.gql(readFileSync(join(EXAMPLES, file), 'utf8'));
      expect(status).toBe(200);
      expect(errors).toBeUndefined();
      expect(Object.values(data).every((v) => v !== null)).toBe(true);
    });
  }
});
