/**
 * Every operation in examples/*.graphql runs as written (variables take their
 * defaults) and returns data without errors.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { postGraphQL } from '../helpers/test-server.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const EXAMPLES_DIR = join(import.meta.dirname, '..', '..', 'examples');

/** Every operation of every example file: [file, operation name, source]. */
const OPERATIONS: [string, string, string][] = readdirSync(EXAMPLES_DIR)
  .filter((f) => f.endsWith('.graphql'))
  .sort()
  .flatMap((file) => {
    const source = readFileSync(join(EXAMPLES_DIR, file), 'utf8');
    return parse(source)
      .definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)
      .map((op) => {
        if (!op.name) throw new Error(`${file}: every example operation needs a name`);
        for (const v of op.variableDefinitions ?? []) {
          // A required variable without a default could not run as written (e.g. from Sandbox's preloaded document).
          if (v.type.kind === Kind.NON_NULL_TYPE && !v.defaultValue) throw new Error(`${file}: $${v.variable.name.value} needs a default value`);
        }
        return [file, op.name.value, source] as [string, string, string];
      });
  });

/** Every array found in a response. */
function arrays(value: unknown, out: unknown[][] = []): unknown[][] {
  if (Array.isArray(value)) {
    out.push(value);
    value.forEach((v) => arrays(v, out));
  } else if (value && typeof value === 'object') Object.values(value).forEach((v) => arrays(v, out));
  return out;
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

describe('examples/*.graphql', () => {
  it('has the examples the README promises', () => {
    expect(OPERATIONS.map(([file]) => file)).toEqual(
      expect.arrayContaining([
        'entity-page.graphql',
        'timeline.graphql',
        'statements-by-speaker.graphql',
        'who-said-what-about-whom.graphql',
        'relationships-of-an-entity.graphql',
        'document-mentions.graphql',
      ]),
    );
  });

  it.each(OPERATIONS)('%s: %s returns data without errors', async (_file, operationName, source) => {
    const result = await postGraphQL(server.url, source, undefined, {}, operationName);
    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
    expect(result.data).toBeTruthy();
    // Each root field answered (a misspelt default name would give null) ...
    for (const [field, value] of Object.entries(result.data)) expect(value, field).not.toBeNull();
    // ... with something in it.
    expect(arrays(result.data).some((a) => a.length > 0)).toBe(true);
  });

  it('the entity page for MINUSMA (Sandbox’s preloaded operation) shows its relationships and statements', async () => {
    const source = readFileSync(join(EXAMPLES_DIR, 'entity-page.graphql'), 'utf8');
    const { data } = await postGraphQL(server.url, source, { name: 'MINUSMA' }, {}, 'EntityPage');
    expect(data.entity.name).toBe('MINUSMA');
    expect(data.entity.relationships.totalCount).toBeGreaterThan(0);
    expect(data.entity.statementsAbout.totalCount).toBeGreaterThan(0);
  });

  it('the timeline is in chronological order and its dates are not padded', async () => {
    const source = readFileSync(join(EXAMPLES_DIR, 'timeline.graphql'), 'utf8');
    const { data } = await postGraphQL(server.url, source, undefined, {}, 'Timeline');
    const dates = data.events.nodes.map((e: any) => e.date);
    expect(dates.map((d: any) => d.text)).toEqual(['2013', '2020', 'March 2022', 'June 30th']);
    expect(dates.map((d: any) => d.precision)).toEqual(['YEAR', 'YEAR', 'MONTH', 'DAY']);
  });
});
