/**
 * The operation deadline at the store boundary (`Loaders.startDeadline`):
 * once past it, no store call starts — neither a loader's batch nor a direct
 * read — and the deadline plugin needs no per-field hook.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildGraph } from '../../src/build/build-graph.js';
import { createLoaders } from '../../src/loaders/loaders.js';
import { operationDeadlinePlugin } from '../../src/server/plugins/operation-deadline.js';
import { openStore } from '../../src/store/open-store.js';
import type { GraphStore } from '../../src/store/store.js';

const SEEDS = join(import.meta.dirname, '..', '..', 'seeds');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class Late extends Error {}

describe('Loaders.startDeadline', () => {
  let dir: string;
  let store: GraphStore;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kg-deadline-'));
    store = await openStore(`file:${join(dir, 'kg.sqlite')}`);
    await buildGraph(store, SEEDS);
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets store calls through before the deadline and refuses every one after it, reporting once', async () => {
    const loaders = createLoaders(store);
    let reports = 0;
    loaders.startDeadline(30, () => new Late('late'), () => reports++);
    expect((await loaders.entityByName('MINUSMA'))?.id).toBe('actor:minusma');
    expect(loaders.deadlineExceeded).toBe(false);
    await sleep(40);
    await expect(loaders.entity.load('actor:mali')).rejects.toBeInstanceOf(Late);
    expect(() => loaders.store.graphVersion()).toThrow(Late);
    await expect(loaders.evidence.load('anything')).rejects.toBeInstanceOf(Late);
    expect(loaders.deadlineExceeded).toBe(true);
    expect(reports).toBe(1);
  });

  it('keeps the earliest deadline when started again (the operations of a batch share the loaders)', async () => {
    const early = createLoaders(store);
    early.startDeadline(10, () => new Late('late'));
    early.startDeadline(60_000, () => new Late('late'));
    await sleep(20);
    await expect(early.entity.load('actor:mali')).rejects.toBeInstanceOf(Late);

    const late = createLoaders(store);
    late.startDeadline(60_000, () => new Late('late'));
    late.startDeadline(10, () => new Late('late'));
    await sleep(20);
    await expect(late.entity.load('actor:mali')).rejects.toBeInstanceOf(Late);
  });

  it('without a deadline, nothing is refused', async () => {
    const loaders = createLoaders(store);
    await sleep(5);
    expect((await loaders.entity.load('actor:mali'))?.id).toBe('actor:mali');
    expect(loaders.deadlineExceeded).toBe(false);
  });

  it('the deadline plugin hooks no field (a willResolveField hook makes Apollo wrap every resolver)', async () => {
    const plugin = operationDeadlinePlugin(1000);
    const loaders = createLoaders(store);
    const listener = await plugin.requestDidStart!({ contextValue: { loaders } } as never);
    expect(listener).toBeDefined();
    expect(listener).not.toHaveProperty('executionDidStart');
    expect(listener).not.toHaveProperty('willResolveField');
  });
});
