/**
 * The GraphQL-over-HTTP spec audit suite of graphql-http, run against the real
 * server: every MUST audit passes; SHOULD and MAY results are printed (and
 * listed in README.md, Hardening and operations).
 *
 * Some audits probe with `__type(name:)`, an introspection field, so the server
 * under audit has INTROSPECTION=true; everything else is the default
 * configuration. (With introspection off, as in production by default, those
 * probes get the INTROSPECTION_DISABLED validation error, as intended.)
 */
import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { INTROSPECTION: 'true' } });
});
afterAll(async () => {
  await server?.stop();
});

const audits = serverAudits({ url: () => server.url });

describe('graphql-http audits: MUST', () => {
  for (const audit of audits.filter((a) => a.name.startsWith('MUST'))) {
    it(`${audit.id} ${audit.name}`, async () => {
      const result = await audit.fn();
      expect(result.status === 'ok' ? 'ok' : `${result.status}: ${result.reason}`).toBe('ok');
    });
  }
});

describe('graphql-http audits: SHOULD and MAY (reported, not required)', () => {
  it('runs them all and prints the results', async () => {
    const lines: string[] = [];
    for (const audit of audits.filter((a) => !a.name.startsWith('MUST'))) {
      const result = await audit.fn();
      lines.push(`${result.status === 'ok' ? 'ok  ' : result.status.padEnd(4)} ${audit.id} ${audit.name}${result.status === 'ok' ? '' : ` — ${result.reason}`}`);
    }
    console.log(lines.join('\n'));
    expect(lines.length).toBeGreaterThan(0);
  });
});
