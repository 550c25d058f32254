import type { Logger, Redis } from '@storefront/kit';
import type { StoredCart } from './domain.ts';

/**
 * Redis as a read cache of stored carts (Postgres is the truth; flushing Redis loses nothing).
 * Entries are `<version>|<json>`, and a Lua script writes only a newer version over an older
 * one, so a slow read that loaded an old cart cannot overwrite what a later write put there.
 * Writers put the new version after commit. Changes always read Postgres under the row lock,
 * never this cache. If Redis fails, reads go to Postgres and a write whose put failed deletes
 * the entry; if that fails too, a stale entry lives at most one TTL (reads only).
 */
export interface CartCache {
  get(id: string): Promise<StoredCart | undefined>;
  put(cart: StoredCart): Promise<void>;
}

const PUT_IF_NEWER = `
local cur = redis.call('GET', KEYS[1])
if cur then
  local v = tonumber(string.match(cur, '^(%d+)|'))
  if v and v >= tonumber(ARGV[1]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'PX', ARGV[3])
return 1`;

export function createCartCache(opts: {
  redis: Redis | null;
  log: Logger;
  ttlMs: number;
  /** How long to leave Redis alone after an error (default 2 s). */
  backoffMs?: number;
  now?: () => number;
}): CartCache {
  const now = opts.now ?? Date.now;
  const backoff = opts.backoffMs ?? 2_000;
  let pausedUntil = 0;
  const key = (id: string) => `cart:c:${id}`;

  async function attempt<T>(what: string, op: (r: Redis) => Promise<T>): Promise<T | undefined> {
    if (!opts.redis || now() < pausedUntil) return undefined;
    try {
      return await op(opts.redis);
    } catch (err) {
      pausedUntil = now() + backoff;
      opts.log.warn({ err, what }, 'redis unavailable; cart reads go to postgres');
      return undefined;
    }
  }

  return {
    async get(id) {
      const raw = await attempt('get', (r) => r.get(key(id)));
      if (typeof raw !== 'string') return undefined;
      const bar = raw.indexOf('|');
      try {
        return JSON.parse(raw.slice(bar + 1)) as StoredCart;
      } catch {
        return undefined;
      }
    },
    async put(cart) {
      const ok = await attempt('put', (r) =>
        r.eval(PUT_IF_NEWER, 1, key(cart.id), String(cart.version), JSON.stringify(cart), String(opts.ttlMs)),
      );
      if (ok === undefined && opts.redis) {
        // Do not leave an older version readable; bypass the pause for this one attempt.
        await opts.redis.del(key(cart.id)).catch(() => {});
      }
    },
  };
}
