import { ServiceUnavailable } from '@storefront/kit';

export interface Semaphore {
  /** Runs fn when a slot is free; refuses at once when the queue is full, or after waiting too long. */
  run<T>(fn: () => Promise<T>): Promise<T>;
  readonly active: number;
  readonly waiting: number;
}

/**
 * A bounded gate in front of password hashing. argon2id is deliberately expensive, so unbounded
 * concurrent logins are a denial-of-service lever: past `queue` waiters we answer 503 quickly
 * instead of letting latency grow for everyone.
 */
export function createSemaphore(o: { concurrency: number; queue: number; timeoutMs: number }): Semaphore {
  let active = 0;
  const waiters: { grant: () => void; timer: NodeJS.Timeout }[] = [];
  const busy = () =>
    new ServiceUnavailable('too many sign-ins at once; try again in a moment', {
      extensions: { retryAfter: 1 },
    });

  const release = () => {
    const next = waiters.shift();
    if (next) {
      clearTimeout(next.timer);
      next.grant();
    } else {
      active--;
    }
  };

  const acquire = () =>
    new Promise<void>((resolve, reject) => {
      if (active < o.concurrency) {
        active++;
        resolve();
        return;
      }
      if (waiters.length >= o.queue) {
        reject(busy());
        return;
      }
      const waiter = {
        // The slot passes straight from the releasing holder to this waiter (active stays the same).
        grant: resolve,
        timer: setTimeout(() => {
          const i = waiters.indexOf(waiter);
          if (i >= 0) waiters.splice(i, 1);
          reject(busy());
        }, o.timeoutMs),
      };
      waiters.push(waiter);
    });

  return {
    async run(fn) {
      await acquire();
      try {
        return await fn();
      } finally {
        release();
      }
    },
    get active() {
      return active;
    },
    get waiting() {
      return waiters.length;
    },
  };
}
