import { lua, runScript } from './lua.ts';
import type { RedisGuard } from './redis-guard.ts';

export interface CachedResponse {
  readonly status: number;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Uint8Array;
  /** Epoch ms when stored, for the Age header. */
  readonly storedAt: number;
}

export interface Lookup {
  /** The generation the entry was looked up under; a miss is stored under the same one. */
  readonly generation: string;
  readonly entry: CachedResponse | undefined;
}

export interface CacheStore {
  /** undefined: Redis cannot answer, or the cache must not be trusted right now (go upstream). */
  get(key: string): Promise<Lookup | undefined>;
  set(lookup: Lookup, key: string, entry: CachedResponse, ttlSeconds: number): Promise<void>;
  /** Every entry becomes unreachable at once: the generation in their keys moves on. */
  invalidate(): Promise<void>;
  /** While the event stream may be missing invalidations, serve nothing from the cache. */
  setTrusted(trusted: boolean): void;
}

const GEN = 'rc:gen';
/**
 * One round trip: read the generation, then the entry under it. The entry's key is built in Lua
 * from ARGV (with the client's key prefix), so it is not declared in KEYS; fine on a single Redis,
 * and the generation and entries would need a shared hash tag on a cluster.
 */
const LOOKUP = lua(`
local gen = redis.call('GET', KEYS[1]) or '0'
return { gen, redis.call('GET', ARGV[1] .. gen .. ':' .. ARGV[2]) }
`);

// Entry layout: 4-byte header length, JSON { s, h, t }, then the body bytes as the upstream sent them.
function encode(e: CachedResponse): Buffer {
  const head = Buffer.from(JSON.stringify({ s: e.status, h: e.headers, t: e.storedAt }));
  const len = Buffer.alloc(4);
  len.writeUInt32BE(head.length);
  return Buffer.concat([len, head, e.body]);
}

function decode(buf: Buffer): CachedResponse | undefined {
  if (buf.length < 4) return undefined;
  const n = buf.readUInt32BE(0);
  if (4 + n > buf.length) return undefined;
  try {
    const head = JSON.parse(buf.subarray(4, 4 + n).toString()) as { s: number; h: [string, string][]; t: number };
    return { status: head.s, headers: head.h, storedAt: head.t, body: buf.subarray(4 + n) };
  } catch {
    return undefined;
  }
}

export function createCacheStore(guard: RedisGuard, prefix: string): CacheStore {
  // An invalidation that could not reach Redis must land before anything is read from it again,
  // or entries written before the change would be served until their TTL.
  let pendingBump = false;
  let trusted = true;

  const bump = async () => {
    const ok = await guard.run((redis) => redis.incr(GEN), 'cache-invalidate');
    pendingBump = ok === undefined;
  };

  return {
    async get(key) {
      if (!trusted) return undefined;
      if (pendingBump) {
        await bump();
        if (pendingBump) return undefined;
      }
      const raw = await guard.run((redis) => runScript(redis, LOOKUP, [GEN], [`${prefix}rc:`, key]), 'cache-get');
      if (!raw) return undefined;
      const [gen, value] = raw as [Buffer, Buffer | null];
      return { generation: gen.toString(), entry: value ? decode(value) : undefined };
    },
    async set(lookup, key, entry, ttlSeconds) {
      await guard.run(
        (redis) => redis.set(`rc:${lookup.generation}:${key}`, encode(entry), 'EX', ttlSeconds),
        'cache-set',
      );
    },
    async invalidate() {
      pendingBump = true;
      await bump();
    },
    setTrusted(t) {
      trusted = t;
    },
  };
}
