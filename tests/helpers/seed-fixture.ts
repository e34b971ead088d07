/**
 * Small seed folders for tests: a short text with characters outside the
 * Basic Multilingual Plane, its documents.yaml, and an annotation that each
 * test can break in one place.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { stringify } from 'yaml';

import { SEEDS_DIR } from './test-server.js';

/** File names inside a fixture folder. */
export const FIXTURE_TEXT_FILE = 'fixture.txt';
export const FIXTURE_ANNOTATION_FILE = 'fixture.annotations.yaml';
export const FIXTURE_DOCUMENT_ID = 'document:fixture';

/**
 * The fixture text. Astral characters (𝔐𝔞𝔩𝔦, 🙂, 🌉: two UTF-16 units,
 * one code point each) come before every quoted span, so UTF-16 indexes and
 * code point offsets differ everywhere that matters. "River Council" occurs
 * twice; "Rivertown" three times.
 */
export const FIXTURE_TEXT = [
  '𝔐𝔞𝔩𝔦 🙂 Harbour Gazette',
  'The River Council met the Mayor of Rivertown in May 2021. 🙂🙂',
  '“We will build the bridge,” the Mayor said.',
  'The River Council 🌉 promised funds on June 3rd.',
  'Rivertown lies on the river; the Mayor leads Rivertown.',
].join('\n');

/** A fresh, valid annotation of the fixture text (a new object each call, to mutate freely). */
export function fixtureAnnotation(): any {
  return {
    document: FIXTURE_DOCUMENT_ID,
    entities: [
      {
        id: 'actor:river-council',
        type: 'ACTOR',
        kind: 'OTHER_ACTOR',
        name: 'River Council',
        description: 'A council that met the Mayor and promised funds.',
        evidence: [
          { quote: 'River Council', occurrence: 1 },
          { quote: 'River Council', within: 'The River Council 🌉 promised' },
        ],
      },
      {
        id: 'person:mayor-of-rivertown',
        type: 'PERSON',
        name: 'Mayor of Rivertown',
        aliases: ['Mayor'],
        title: 'Mayor of Rivertown',
        description: 'The mayor, who leads Rivertown.',
        evidence: ['the Mayor of Rivertown'],
      },
      {
        id: 'place:rivertown',
        type: 'PLACE',
        kind: 'SETTLEMENT',
        name: 'Rivertown',
        description: 'A town on the river.',
        evidence: ['Rivertown lies on the river'],
      },
      {
        id: 'actor:harbour-gazette',
        type: 'ACTOR',
        kind: 'MEDIA_ORGANIZATION',
        name: 'Harbour Gazette',
        description: 'The publisher.',
        evidence: ['Harbour Gazette'],
      },
    ],
    events: [
      {
        id: 'event:council-meeting',
        kind: 'MEETING',
        name: 'The River Council meets the Mayor',
        description: 'The River Council met the Mayor of Rivertown in May 2021.',
        date: { text: 'May 2021', year: 2021, month: 5 },
        place: 'place:rivertown',
        participants: [
          { entity: 'actor:river-council', role: 'AGENT', evidence: [{ quote: 'River Council', occurrence: 1 }] },
          { entity: 'person:mayor-of-rivertown', role: 'ATTENDEE' },
        ],
        evidence: ['met the Mayor of Rivertown in May 2021'],
      },
      {
        id: 'event:funding-promise',
        kind: 'OTHER',
        name: 'The River Council promises funds',
        description: 'The River Council promised funds on June 3rd.',
        date: { text: 'June 3rd', year: 2021, month: 6, day: 3, inferred: true, inferredFrom: 'The meeting in May 2021 comes first.' },
        participants: [{ entity: 'actor:river-council', role: 'AGENT', evidence: [{ quote: 'River Council', occurrence: 2 }] }],
        evidence: ['promised funds on June 3rd'],
      },
    ],
    statements: [
      {
        id: 'statement:mayor-bridge',
        kind: 'PROMISE',
        attribution: 'DIRECT_QUOTE',
        speaker: 'person:mayor-of-rivertown',
        text: 'We will build the bridge,',
        about: ['place:rivertown'],
        occasion: 'event:council-meeting',
        evidence: ['“We will build the bridge,” the Mayor said'],
      },
    ],
    relationships: [
      {
        type: 'LEADS',
        source: 'person:mayor-of-rivertown',
        target: 'place:rivertown',
        description: 'The Mayor leads Rivertown.',
        evidence: ['the Mayor leads Rivertown'],
      },
    ],
  };
}

/** What to write into a fixture folder. */
export interface SeedFixture {
  text?: string;
  /** The annotation object (written as YAML) or raw YAML text. */
  annotation?: unknown;
}

/** Write (or overwrite) the files of a fixture folder. */
export function writeSeedFixture(dir: string, fixture: SeedFixture = {}): void {
  copyFileSync(join(SEEDS_DIR, 'annotation.schema.json'), join(dir, 'annotation.schema.json'));
  writeFileSync(
    join(dir, 'documents.yaml'),
    stringify({
      documents: [
        {
          id: FIXTURE_DOCUMENT_ID,
          file: FIXTURE_TEXT_FILE,
          annotations: FIXTURE_ANNOTATION_FILE,
          title: 'Fixture: the River Council and the Mayor',
          publisher: 'actor:harbour-gazette',
        },
      ],
    }),
  );
  writeFileSync(join(dir, FIXTURE_TEXT_FILE), fixture.text ?? FIXTURE_TEXT);
  const annotation = fixture.annotation ?? fixtureAnnotation();
  writeFileSync(join(dir, FIXTURE_ANNOTATION_FILE), typeof annotation === 'string' ? annotation : stringify(annotation));
}

/** A new temporary fixture folder; remove it with `removeSeedFixture`. */
export function createSeedFixture(fixture: SeedFixture = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'kg-seeds-'));
  writeSeedFixture(dir, fixture);
  return dir;
}

/** Remove a fixture folder. */
export function removeSeedFixture(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
