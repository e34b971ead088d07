/**
 * Log lines' timestamps: ISO 8601 in UTC to the millisecond, as pino's
 * `isoTime` writes them, formatted once per millisecond.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

import { createLogger, isoTimeByMillisecond } from '../../src/server/logger.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('isoTimeByMillisecond', () => {
  it('is the ISO time of the current millisecond, and changes when the millisecond does', () => {
    const now = vi.spyOn(Date, 'now').mockReturnValue(Date.UTC(2026, 10, 28, 9, 34, 15, 123));
    expect(isoTimeByMillisecond()).toBe(',"time":"2026-11-28T09:34:15.123Z"');
    expect(isoTimeByMillisecond()).toBe(',"time":"2026-11-28T09:34:15.123Z"');
    now.mockReturnValue(Date.UTC(2026, 10, 28, 9, 34, 15, 124));
    expect(isoTimeByMillisecond()).toBe(',"time":"2026-11-28T09:34:15.124Z"');
    now.mockReturnValue(Date.UTC(2027, 0, 1, 0, 0, 0, 0));
    expect(isoTimeByMillisecond()).toBe(',"time":"2027-01-01T00:00:00.000Z"');
  });

  it('stamps each line of a logger with the time it was written', () => {
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
    const before = Date.now();
    logger.info({ n: 1 }, 'first');
    logger.info({ n: 2 }, 'second');
    const after = Date.now();
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      const time = Date.parse(JSON.parse(line).time);
      expect(time).toBeGreaterThanOrEqual(before);
      expect(time).toBeLessThanOrEqual(after);
      expect(JSON.parse(line).time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
  });
});
