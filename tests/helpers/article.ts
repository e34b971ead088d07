/**
 * The seed article, read here independently of the build, so that tests can
 * work out expected values from its text.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { SEEDS_DIR } from './test-server.js';

/** Id of the seed article. */
export const ARTICLE_ID = 'document:mali-asks-un-to-end-peacekeeping-mission';

/** The article's text, byte for byte as in seeds/. */
export const ARTICLE_TEXT = readFileSync(join(SEEDS_DIR, '000_ff0b82d8339bd64f.txt'), 'utf8');

/** The passages of the text in curly quotation marks (“…”), in order. */
export const QUOTED_PASSAGES = [...ARTICLE_TEXT.matchAll(/“([^”]*)”/g)].map((m) => m[1]!);
