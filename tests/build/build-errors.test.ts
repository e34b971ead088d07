/**
 * The build refuses bad seeds with a BuildError that names the file, the fact
 * and the quote, so that a curator can find the line to fix.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { BuildError } from '../../src/build/build-error.js';
import { buildGraph } from '../../src/build/build-graph.js';
import { openStore } from '../../src/store/open-store.js';
import type { GraphStore } from '../../src/store/store.js';
import {
  createSeedFixture,
  FIXTURE_ANNOTATION_FILE,
  fixtureAnnotation,
  removeSeedFixture,
} from '../helpers/seed-fixture.js';
import { startTestServer } from '../helpers/test-server.js';

let dbDir: string;
let store: GraphStore;
const fixtures: string[] = [];

beforeAll(async () => {
  dbDir = mkdtempSync(join(tmpdir(), 'kg-build-'));
  store = await openStore(`file:${join(dbDir, 'kg.sqlite')}`);
});
afterAll(async () => {
  await store?.close();
  rmSync(dbDir, { recursive: true, force: true });
  fixtures.forEach(removeSeedFixture);
});

/** Build a fixture whose annotation `mutate` broke; return the BuildError thrown. */
async function buildError(mutate: (a: any) => void): Promise<BuildError> {
  const annotation = fixtureAnnotation();
  mutate(annotation);
  const dir = createSeedFixture({ annotation });
  fixtures.push(dir);
  let caught: unknown;
  try {
    await buildGraph(store, dir, { force: true });
  } catch (error) {
    caught = error;
  }
  expect(caught, 'the build should have failed').toBeInstanceOf(BuildError);
  return caught as BuildError;
}

describe('build failures name the file, the fact and the quote', () => {
  it('the unmodified fixture builds (so each failure below has one cause)', async () => {
    const dir = createSeedFixture();
    fixtures.push(dir);
    const result = await buildGraph(store, dir, { force: true });
    expect(result.built).toBe(true);
  });

  it('a quote that is not in the text', async () => {
    const error = await buildError((a) => {
      a.entities[2].evidence = ['Rivertown lies on the sea'];
    });
    expect(error.file).toBe(FIXTURE_ANNOTATION_FILE);
    expect(error.fact).toBe('place:rivertown');
    expect(error.quote).toBe('Rivertown lies on the sea');
    expect(error.message).toContain(FIXTURE_ANNOTATION_FILE);
    expect(error.message).toContain('place:rivertown');
    expect(error.message).toContain('"Rivertown lies on the sea"');
    expect(error.message).toMatch(/not in the text/);
  });

  it('a quote that occurs twice, without `occurrence` or `within`', async () => {
    const error = await buildError((a) => {
      a.events[1].evidence = ['River Council'];
    });
    expect(error.fact).toBe('event:funding-promise');
    expect(error.quote).toBe('River Council');
    expect(error.message).toContain(FIXTURE_ANNOTATION_FILE);
    expect(error.message).toContain('event:funding-promise');
    expect(error.message).toContain('"River Council"');
    expect(error.message).toMatch(/2 times/);
  });

  it('a quote in a participant’s evidence names the participant', async () => {
    const error = await buildError((a) => {
      a.events[0].participants[1].evidence = ['the Mayor'];
    });
    expect(error.fact).toContain('event:council-meeting');
    expect(error.fact).toContain('person:mayor-of-rivertown');
    expect(error.quote).toBe('the Mayor');
  });

  it('an `occurrence` beyond the quote’s occurrences', async () => {
    const error = await buildError((a) => {
      a.entities[0].evidence = [{ quote: 'River Council', occurrence: 3 }];
    });
    expect(error.fact).toBe('actor:river-council');
    expect(error.quote).toBe('River Council');
    expect(error.message).toMatch(/occurrence 3/);
  });

  it('a `within` passage that does not contain the quote', async () => {
    const error = await buildError((a) => {
      a.entities[0].evidence = [{ quote: 'River Council', within: 'the Mayor leads Rivertown' }];
    });
    expect(error.fact).toBe('actor:river-council');
    expect(error.quote).toBe('River Council');
    expect(error.message).toMatch(/within/);
  });

  it('an unknown entity reference', async () => {
    const error = await buildError((a) => {
      a.events[0].participants.push({ entity: 'actor:harbour-board', role: 'ATTENDEE' });
    });
    expect(error.file).toBe(FIXTURE_ANNOTATION_FILE);
    expect(error.fact).toBe('event:council-meeting');
    expect(error.message).toContain(FIXTURE_ANNOTATION_FILE);
    expect(error.message).toContain('event:council-meeting');
    expect(error.message).toContain('actor:harbour-board');
    expect(error.message).toMatch(/unknown entity reference/);
  });

  it('an unknown speaker, and an unknown statement subject', async () => {
    const speaker = await buildError((a) => {
      a.statements[0].speaker = 'person:the-deputy';
    });
    expect(speaker.fact).toBe('statement:mayor-bridge');
    expect(speaker.message).toContain('person:the-deputy');
    const subject = await buildError((a) => {
      a.statements[0].about.push('event:bridge-opening');
    });
    expect(subject.fact).toBe('statement:mayor-bridge');
    expect(subject.message).toContain('event:bridge-opening');
  });

  it('an unknown relationship end', async () => {
    const error = await buildError((a) => {
      a.relationships[0].target = 'place:harbour';
    });
    expect(error.fact).toMatch(/^relationship:/);
    expect(error.message).toContain('place:harbour');
  });

  it('a schema violation names the fact at fault', async () => {
    const error = await buildError((a) => {
      a.statements[0].kind = 'GOSSIP';
    });
    expect(error.file).toBe(FIXTURE_ANNOTATION_FILE);
    expect(error.message).toContain('annotation.schema.json');
    expect(error.message).toContain('/statements/0/kind');
    expect(error.message).toContain('statement:mayor-bridge');
  });

  it('a schema violation: a fact without its evidence', async () => {
    const error = await buildError((a) => {
      delete a.entities[3].evidence;
    });
    expect(error.message).toContain('/entities/3');
    expect(error.message).toContain('actor:harbour-gazette');
    expect(error.message).toMatch(/evidence/);
  });

  it('an inferred date without `inferredFrom`', async () => {
    const error = await buildError((a) => {
      delete a.events[1].date.inferredFrom;
    });
    expect(error.file).toBe(FIXTURE_ANNOTATION_FILE);
    expect(error.fact).toBe('event:funding-promise');
    expect(error.quote).toBe('June 3rd');
    expect(error.message).toContain('event:funding-promise');
    expect(error.message).toContain('"June 3rd"');
    expect(error.message).toMatch(/inferredFrom/);
  });

  it('a date whose words are not in the text', async () => {
    const error = await buildError((a) => {
      a.events[0].date.text = 'April 2021';
      a.events[0].date.month = 4;
    });
    expect(error.fact).toBe('event:council-meeting');
    expect(error.quote).toBe('April 2021');
  });

  it('a day the month does not have', async () => {
    const error = await buildError((a) => {
      a.events[1].date.month = 2;
      a.events[1].date.day = 30;
    });
    expect(error.fact).toBe('event:funding-promise');
    expect(error.quote).toBe('June 3rd');
  });

  it('a direct quote whose text is not in the document', async () => {
    const error = await buildError((a) => {
      a.statements[0].text = 'We will build two bridges';
    });
    expect(error.fact).toBe('statement:mayor-bridge');
    expect(error.quote).toBe('We will build two bridges');
  });

  it('an alias the text does not use', async () => {
    const error = await buildError((a) => {
      a.entities[1].aliases = ['Lord Mayor'];
    });
    expect(error.fact).toBe('person:mayor-of-rivertown');
    expect(error.quote).toBe('Lord Mayor');
  });

  it('a server does not start on bad seeds', async () => {
    const annotation = fixtureAnnotation();
    annotation.entities[2].evidence = ['Rivertown lies on the sea'];
    const dir = createSeedFixture({ annotation });
    fixtures.push(dir);
    await expect(startTestServer({ seedsDir: dir })).rejects.toBeInstanceOf(BuildError);
  });
});
