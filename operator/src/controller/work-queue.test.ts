import { describe, expect, it } from 'vitest';
import { WorkQueue } from './work-queue.ts';

describe('WorkQueue', () => {
  it('deduplicates a key that is already queued', async () => {
    const q = new WorkQueue();
    q.add('a');
    q.add('b');
    q.add('a');
    expect(q.depth).toBe(2);
    expect(await q.get()).toBe('a');
    expect(await q.get()).toBe('b');
  });

  it('never hands out a key that is in flight; re-queues it when done', async () => {
    const q = new WorkQueue();
    q.add('a');
    const key = await q.get();
    q.add('a');
    expect(q.depth).toBe(0);
    q.done(key as string);
    expect(q.depth).toBe(1);
    expect(await q.get()).toBe('a');
  });

  it('wakes a waiting worker', async () => {
    const q = new WorkQueue();
    const next = q.get();
    q.add('x');
    await expect(next).resolves.toBe('x');
  });

  it('backs off exponentially per key and starts over after forget', () => {
    const q = new WorkQueue({ baseDelayMs: 5, maxDelayMs: 100 });
    expect([1, 2, 3, 4, 5, 6].map(() => q.addRateLimited('k'))).toEqual([5, 10, 20, 40, 80, 100]);
    expect(q.addRateLimited('other')).toBe(5);
    q.forget('k');
    expect(q.addRateLimited('k')).toBe(5);
    q.shutdown();
  });

  it('delivers a rate-limited key after its delay', async () => {
    const q = new WorkQueue({ baseDelayMs: 10 });
    q.addRateLimited('k');
    expect(q.depth).toBe(0);
    const started = Date.now();
    expect(await q.get()).toBe('k');
    expect(Date.now() - started).toBeGreaterThanOrEqual(8);
  });

  it('releases waiting workers on shutdown', async () => {
    const q = new WorkQueue();
    const next = q.get();
    q.shutdown();
    await expect(next).resolves.toBeUndefined();
    q.add('late');
    expect(q.depth).toBe(0);
  });
});
