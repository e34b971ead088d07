/** Child-process entry of the replay server: reads the recorded answers, serves them, reports its URL. */
import { readFileSync } from 'node:fs';

import { serveReplay, type RecordedResponse } from './replay-server.js';

const entries = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as [string, { status: number; headers: Record<string, string>; body: string }][];
const answers = new Map<string, RecordedResponse>(
  entries.map(([key, a]) => [key, { status: a.status, headers: a.headers, body: Buffer.from(a.body, 'base64') }]),
);
const { url } = await serveReplay(answers);
process.send!(url);
process.on('SIGTERM', () => process.exit(0));
