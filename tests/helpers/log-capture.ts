/**
 * A pino logger whose JSON lines are kept in memory, for tests that read logs.
 */
import { createLogger, type Logger } from '../../src/server/logger.js';

/** A logger and the lines it wrote, parsed. */
export interface CapturedLog {
  logger: Logger;
  lines: Record<string, any>[];
  /** Everything written, as one string (to check that something was never logged). */
  text(): string;
}

/** A logger at `level` that keeps its lines. */
export function captureLog(level = 'info'): CapturedLog {
  const raw: string[] = [];
  const lines: Record<string, any>[] = [];
  const logger = createLogger(level, {
    write(chunk: string) {
      raw.push(chunk);
      for (const line of chunk.split('\n').filter(Boolean)) lines.push(JSON.parse(line));
    },
  });
  return { logger, lines, text: () => raw.join('') };
}
