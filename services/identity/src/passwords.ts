import { type Algorithm, hash, verify } from '@node-rs/argon2';

// Algorithm.Argon2id; the package ships a const enum, which verbatimModuleSyntax cannot inline.
const ARGON2ID = 2 as Algorithm;

import { createSemaphore, type Semaphore } from './semaphore.ts';

export interface Argon2Params {
  readonly memoryKib: number;
  readonly timeCost: number;
  readonly parallelism: number;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** ok, and whether the stored hash was made with other parameters than today's. */
  verify(stored: string, password: string): Promise<{ ok: boolean; needsRehash: boolean }>;
  /** Same cost as a real verify, always false: unknown emails take as long as known ones. */
  verifyDummy(password: string): Promise<false>;
  readonly gate: Semaphore;
}

const PHC = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/;

export function hashParams(stored: string): Argon2Params | undefined {
  const m = PHC.exec(stored);
  if (!m) return undefined;
  return { memoryKib: Number(m[1]), timeCost: Number(m[2]), parallelism: Number(m[3]) };
}

export function needsRehash(stored: string, p: Argon2Params): boolean {
  const q = hashParams(stored);
  return !q || q.memoryKib !== p.memoryKib || q.timeCost !== p.timeCost || q.parallelism !== p.parallelism;
}

export function createHasher(
  params: Argon2Params,
  limits: { concurrency: number; queue: number; timeoutMs: number },
): PasswordHasher {
  const options = {
    algorithm: ARGON2ID,
    memoryCost: params.memoryKib,
    timeCost: params.timeCost,
    parallelism: params.parallelism,
  };
  const gate = createSemaphore(limits);
  let dummy: Promise<string> | undefined;

  const check = async (stored: string, password: string) => {
    try {
      return await gate.run(() => verify(stored, password));
    } catch (err) {
      // A malformed stored hash is a failed check, not a 500; overload (503) still propagates.
      if ((err as { status?: number }).status === 503) throw err;
      return false;
    }
  };

  return {
    hash: (password) => gate.run(() => hash(password, options)),
    async verify(stored, password) {
      const ok = await check(stored, password);
      return { ok, needsRehash: ok && needsRehash(stored, params) };
    },
    async verifyDummy(password) {
      dummy ??= hash('not-a-real-password-just-timing', options);
      await check(await dummy, password);
      return false;
    },
    gate,
  };
}
