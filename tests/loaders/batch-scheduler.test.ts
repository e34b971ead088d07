/**
 * The batch scheduler sends a level's loads together even when the answers
 * that led to them arrive at different times (as over a network).
 */
import DataLoader from 'dataloader';
import { describe, expect, it } from 'vitest';

import { createBatchScheduler } from '../../src/loaders/batch-scheduler.js';

const later = <T>(ms: number, value: T): Promise<T> => new Promise((resolve) => setTimeout(() => resolve(value), ms));

describe('createBatchScheduler', () => {
  /** Two parent lookups answering 5 ms and 40 ms late; each child id is loaded when its parent answers. */
  async function run(scheduled: boolean): Promise<string[][]> {
    const scheduler = createBatchScheduler();
    const source = {
      parents: (ids: readonly string[]) => later(ids[0] === 'a' ? 5 : 40, ids.map((id) => `${id}-child`)),
      children: (ids: readonly string[]) => later(1, [...ids]),
    };
    const store = scheduled ? scheduler.track(source) : source;
    const options = scheduled ? { batchScheduleFn: scheduler.schedule } : {};
    const childBatches: string[][] = [];
    const parent = new DataLoader<string, string>(async (ids) => store.parents(ids), options);
    const otherParent = new DataLoader<string, string>(async (ids) => store.parents(ids), options);
    const child = new DataLoader<string, string>(async (ids) => {
      childBatches.push([...ids]);
      return store.children(ids);
    }, options);
    await Promise.all([parent.load('a').then((c) => child.load(c)), otherParent.load('b').then((c) => child.load(c))]);
    return childBatches;
  }

  it('without it, DataLoader sends one child batch per parent answer', async () => {
    expect(await run(false)).toEqual([['a-child'], ['b-child']]);
  });

  it('with it, the children of both parents go in one batch', async () => {
    expect(await run(true)).toEqual([['a-child', 'b-child']]);
  });

  it('leaves what is not a promise alone', () => {
    const store = createBatchScheduler().track({ n: 3, twice: (x: number) => x * 2 });
    expect(store.n).toBe(3);
    expect(store.twice(4)).toBe(8);
  });
});
