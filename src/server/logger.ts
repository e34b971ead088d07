/**
 * Structured JSON logs with pino: one line per request (request id, route,
 * status, operation names, outcome, duration, caller's key name), and one per
 * internal error with its detail. Request variables, query text, headers and
 * keys are never logged; the redaction list is a second line of defence.
 */
import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

/** Paths pino blanks if they ever reach a log line. */
const REDACT = [
  'authorization',
  '*.authorization',
  'headers',
  '*.headers',
  'variables',
  '*.variables',
  'query',
  '*.query',
  'apiKey',
  '*.apiKey',
];

/** A logger at `level`, writing to stdout (or `destination`, for tests). */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'conflict-kg' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    redact: { paths: REDACT, censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
