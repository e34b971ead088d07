/**
 * The log destination writes the lines of one event-loop turn together, in
 * order, and loses none: not at the end of a turn, not on `flushSync`, not
 * when the process exits with lines still pending.
 */
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { batchedDestination } from '../../src/server/log-destination.js';
import { ROOT, runTs } from '../helpers/child.js';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function recordingSink() {
  const writes: string[] = [];
  return { writes, sink: { write: (text: string) => writes.push(text) } };
}

describe('batchedDestination', () => {
  it('writes the lines of one turn in one write, in order, when the turn ends', async () => {
    const { writes, sink } = recordingSink();
    const destination = batchedDestination(sink);
    destination.write('a\n');
    destination.write('b\n');
    destination.write('c\n');
    expect(writes).toEqual([]);
    expect(destination.pending).toBe(3);
    await nextTurn();
    expect(writes).toEqual(['a\nb\nc\n']);
    expect(destination.pending).toBe(0);
  });

  it('writes each turn separately', async () => {
    const { writes, sink } = recordingSink();
    const destination = batchedDestination(sink);
    destination.write('1\n');
    await nextTurn();
    destination.write('2\n');
    destination.write('3\n');
    await nextTurn();
    expect(writes).toEqual(['1\n', '2\n3\n']);
  });

  it('flushSync and flush(cb) write what is pending at once', async () => {
    const { writes, sink } = recordingSink();
    const destination = batchedDestination(sink);
    destination.write('x\n');
    destination.flushSync();
    expect(writes).toEqual(['x\n']);
    destination.write('y\n');
    let called = false;
    destination.flush(() => {
      called = true;
    });
    expect(called).toBe(true);
    expect(writes).toEqual(['x\n', 'y\n']);
    await nextTurn();
    expect(writes).toEqual(['x\n', 'y\n']);
  });

  it('loses no line when the process exits with lines pending', async () => {
    const count = 2000;
    const child = runTs(join(ROOT, 'tests', 'fixtures', 'log-burst.ts'), [String(count)], {});
    expect(await child.closed).toBe(0);
    const burst = child.lines.filter((line) => line.msg === 'burst');
    expect(burst.map((line) => line.i)).toEqual(Array.from({ length: count }, (_, i) => i));
  });
});
