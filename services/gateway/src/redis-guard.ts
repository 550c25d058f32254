import type { Redis } from '@storefront/kit';

/**
 * Redis is an optimisation at the edge (cache, rate limits), so no request may wait on it. The
 * client already fails fast (no offline queue, ~500 ms command timeout); this guard adds a local
 * circuit on top: after one failure every Redis call is skipped for `skipMs`, so an outage costs
 * one slow command per replica per window instead of one per request. After a lost connection it
 * closes early, as soon as the client is connected again; after an error reply (OOM, a read-only
 * replica, …) it does not, because the server is up and would refuse again, and the kit's client
 * reconnects on every error reply, so "connected again" says nothing.
 */
export interface RedisGuard {
  /** The result of `op`, or undefined when Redis is skipped or the call failed. */
  run<T>(op: (redis: Redis) => Promise<T>, name: string): Promise<T | undefined>;
  readonly degraded: boolean;
}

export interface RedisGuardOptions {
  readonly redis: Redis | undefined;
  readonly skipMs: number;
  readonly now?: () => number;
  readonly onDegraded?: (degraded: boolean) => void;
  readonly onSkip?: (op: string, err?: unknown) => void;
}

export function createRedisGuard(opts: RedisGuardOptions): RedisGuard {
  const now = opts.now ?? Date.now;
  let skipUntil = 0;
  let degraded = !opts.redis;
  let refused = false;

  const setDegraded = (d: boolean) => {
    if (d === degraded) return;
    degraded = d;
    opts.onDegraded?.(d);
  };
  opts.redis?.on('ready', () => {
    if (refused) return;
    skipUntil = 0;
    setDegraded(false);
  });
  if (!opts.redis) opts.onDegraded?.(true);

  return {
    get degraded() {
      return degraded;
    },
    async run(op, name) {
      const redis = opts.redis;
      if (!redis || now() < skipUntil) {
        opts.onSkip?.(name);
        return undefined;
      }
      // Not connected: ioredis would reject at once; skipping saves the allocation and says why.
      if (redis.status !== 'ready') {
        skipUntil = now() + opts.skipMs;
        setDegraded(true);
        opts.onSkip?.(name);
        return undefined;
      }
      try {
        const result = await op(redis);
        refused = false;
        setDegraded(false);
        return result;
      } catch (err) {
        refused = (err as Error).name === 'ReplyError';
        skipUntil = now() + opts.skipMs;
        setDegraded(true);
        opts.onSkip?.(name, err);
        return undefined;
      }
    },
  };
}
