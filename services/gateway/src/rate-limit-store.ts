import type { RateLimit } from './config.ts';
import { lua, runScript } from './lua.ts';
import type { RedisGuard } from './redis-guard.ts';

/**
 * Token bucket in one Lua call, so concurrent gateway replicas share a bucket without races.
 * The time comes from Redis (TIME), not from the replicas, whose clocks may disagree. Tokens are
 * kept as a float string; the key expires once the bucket would be full again anyway.
 * Returns { allowed (0/1), tokens left x1000 (integer), ms until enough tokens }.
 */
const TOKEN_BUCKET = lua(`
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = burst
  at = now
end
if now > at then
  tokens = math.min(burst, tokens + (now - at) * rate / 1000)
end
local allowed = 0
local wait = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
else
  wait = math.ceil((cost - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
return { allowed, math.floor(tokens * 1000), wait }
`);

export interface Decision {
  readonly allowed: boolean;
  readonly remaining: number;
  /** 0 when allowed; otherwise how long until the request would be. */
  readonly retryAfterMs: number;
}

export interface RateLimitStore {
  /** undefined when Redis could not answer: the caller fails open. */
  take(key: string, limit: RateLimit, cost?: number): Promise<Decision | undefined>;
}

export function createRateLimitStore(guard: RedisGuard): RateLimitStore {
  return {
    take(key, limit, cost = 1) {
      return guard.run(async (redis) => {
        const raw = await runScript(
          redis,
          TOKEN_BUCKET,
          [key],
          [String(limit.rate), String(limit.burst), String(cost)],
        );
        const [allowed, milli, wait] = raw as [number, number, number];
        return { allowed: allowed === 1, remaining: milli / 1000, retryAfterMs: wait };
      }, 'rate-limit');
    },
  };
}
