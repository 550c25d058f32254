import { type Redis, ServiceUnavailable, TooManyRequests } from '@storefront/kit';
import { type LockoutPolicy, lockSeconds } from './domain.ts';

export interface LoginGuard {
  /** Counts one attempt from this address; 429 past the per-minute limit. */
  checkIp(ip: string): Promise<void>;
  /** 429 while this email is locked (whether or not it has an account). */
  checkLock(emailKey: string): Promise<void>;
  /** One more consecutive failure; locks the email once the policy says so. */
  failure(emailKey: string): Promise<{ failures: number; lockedSeconds: number }>;
  success(emailKey: string): Promise<void>;
  /** A plain fixed-window limit for other abusable actions (sign-up, reset requests). */
  limit(bucket: string, key: string, max: number, windowSeconds: number): Promise<void>;
}

export interface GuardPolicy extends LockoutPolicy {
  readonly ipPerMinute: number;
  /** How long a run of failures is remembered (default one day). */
  readonly failureMemorySeconds?: number;
}

const TOO_MANY = 'Too many attempts. Try again later.';

/**
 * Brute-force protection in Redis. Login fails closed: without Redis there is no lockout, so
 * sign-in answers 503 rather than letting unlimited guesses through.
 */
export function createLoginGuard(redis: Redis, p: GuardPolicy): LoginGuard {
  const memory = p.failureMemorySeconds ?? 86_400;
  const safely = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof TooManyRequests) throw err;
      throw new ServiceUnavailable('sign-in is unavailable for a moment', { extensions: { retryAfter: 1 } });
    }
  };
  const count = async (key: string, windowSeconds: number) => {
    const res = await redis.multi().incr(key).expire(key, windowSeconds, 'NX').ttl(key).exec();
    const n = Number(res?.[0]?.[1] ?? 0);
    const ttl = Number(res?.[2]?.[1] ?? windowSeconds);
    return { n, ttl: ttl > 0 ? ttl : windowSeconds };
  };

  return {
    checkIp: (ip) =>
      safely(async () => {
        const { n, ttl } = await count(`identity:login:ip:${ip}`, 60);
        if (n > p.ipPerMinute) throw new TooManyRequests(TOO_MANY, { extensions: { retryAfter: ttl } });
      }),
    checkLock: (ek) =>
      safely(async () => {
        const ms = await redis.pttl(`identity:login:lock:${ek}`);
        if (ms > 0) throw new TooManyRequests(TOO_MANY, { extensions: { retryAfter: Math.ceil(ms / 1000) } });
      }),
    failure: (ek) =>
      safely(async () => {
        const { n } = await count(`identity:login:fail:${ek}`, memory);
        const seconds = lockSeconds(n, p);
        if (seconds > 0) await redis.set(`identity:login:lock:${ek}`, '1', 'EX', seconds);
        return { failures: n, lockedSeconds: seconds };
      }),
    success: (ek) =>
      safely(async () => {
        await redis.del(`identity:login:fail:${ek}`, `identity:login:lock:${ek}`);
      }),
    limit: (bucket, key, max, windowSeconds) =>
      safely(async () => {
        const { n, ttl } = await count(`identity:limit:${bucket}:${key}`, windowSeconds);
        if (n > max) throw new TooManyRequests(TOO_MANY, { extensions: { retryAfter: ttl } });
      }),
  };
}
