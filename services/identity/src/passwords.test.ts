import { describe, expect, it } from 'vitest';
import { createHasher, hashParams, needsRehash } from './passwords.ts';
import { createSemaphore } from './semaphore.ts';

const OWASP = { memoryKib: 19_456, timeCost: 2, parallelism: 1 };
const limits = { concurrency: 2, queue: 4, timeoutMs: 5_000 };

describe('password hashing', () => {
  it('hashes with the real OWASP argon2id parameters and verifies', async () => {
    const hasher = createHasher(OWASP, limits);
    const stored = await hasher.hash('correct horse battery');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await hasher.verify(stored, 'correct horse battery')).toEqual({ ok: true, needsRehash: false });
    expect(await hasher.verify(stored, 'wrong horse battery')).toEqual({ ok: false, needsRehash: false });
    expect(await hasher.verifyDummy('anything')).toBe(false);
    expect(await hasher.verify('not a hash', 'x')).toEqual({ ok: false, needsRehash: false });
  });

  it('asks for a rehash when the parameters changed', async () => {
    const light = createHasher({ memoryKib: 64, timeCost: 1, parallelism: 1 }, limits);
    const stored = await light.hash('pw');
    expect(hashParams(stored)).toEqual({ memoryKib: 64, timeCost: 1, parallelism: 1 });
    expect(needsRehash(stored, OWASP)).toBe(true);
    expect(needsRehash(stored, { memoryKib: 64, timeCost: 1, parallelism: 1 })).toBe(false);
    const stronger = createHasher({ memoryKib: 128, timeCost: 1, parallelism: 1 }, limits);
    expect(await stronger.verify(stored, 'pw')).toEqual({ ok: true, needsRehash: true });
  });
});

describe('semaphore', () => {
  it('runs up to the limit, queues a few, refuses the rest at once, and times out waiters', async () => {
    const gate = createSemaphore({ concurrency: 1, queue: 1, timeoutMs: 50 });
    let release = () => {};
    const held = gate.run(() => new Promise<void>((r) => (release = r)));
    const queued = gate.run(async () => 'queued');
    await expect(gate.run(async () => 'refused')).rejects.toMatchObject({ status: 503 });
    await expect(queued).rejects.toMatchObject({ status: 503 });
    release();
    await held;
    expect(await gate.run(async () => 'free again')).toBe('free again');
    expect(gate.active).toBe(0);
  });
});
