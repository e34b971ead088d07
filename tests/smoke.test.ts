import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestServer, type TestServer } from './helpers/test-server.js';

describe('smoke: the seed graph over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('finds MINUSMA by its alias "blue helmets", which the article uses', async () => {
    const { data, errors } = await server.gql('{ entity(name: "blue helmets") { id name } }');
    expect(errors).toBeUndefined();
    expect(data.entity).toEqual({ id: 'actor:minusma', name: 'MINUSMA' });
  });
});
