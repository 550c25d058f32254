import { type Redis, ServiceUnavailable, Unauthorized } from '@storefront/kit';
import { newSecret, secretHash } from './secrets.ts';

/** The step between password and session for staff: prove a TOTP code, or enrol one first. */
export interface Challenge {
  readonly accountId: string;
  readonly emailKey: string;
  readonly purpose: 'verify' | 'enrol';
  readonly mode: 'bearer' | 'cookie';
  /** Enrolment: the secret shown to the user, kept here until a code proves they saved it. */
  readonly pendingSecret?: string;
  readonly attempts: number;
}

export interface Challenges {
  create(c: Omit<Challenge, 'attempts'>): Promise<{ challenge: string; expiresIn: number }>;
  /** The challenge or 401; `purpose` must match. */
  get(token: string, purpose: Challenge['purpose']): Promise<Challenge>;
  update(token: string, c: Challenge): Promise<void>;
  /** A wrong code: counts, and spends the challenge after `maxAttempts`. */
  fail(token: string, c: Challenge): Promise<void>;
  consume(token: string): Promise<void>;
}

const INVALID = 'this sign-in step has expired or is not valid; sign in again';

/**
 * Short-lived, opaque, single-purpose handles kept in Redis under the hash of the token. Losing
 * Redis loses only half-finished sign-ins.
 */
export function createChallenges(redis: Redis, o: { ttlSeconds: number; maxAttempts: number }): Challenges {
  const key = (t: string) => `identity:challenge:${secretHash(t).toString('base64url')}`;
  const unavailable = () =>
    new ServiceUnavailable('sign-in is unavailable for a moment', { extensions: { retryAfter: 1 } });
  const write = async (t: string, c: Challenge, keepTtl: boolean) => {
    const value = JSON.stringify(c);
    await (keepTtl ? redis.set(key(t), value, 'KEEPTTL') : redis.set(key(t), value, 'EX', o.ttlSeconds)).catch(() => {
      throw unavailable();
    });
  };
  return {
    async create(c) {
      const token = newSecret();
      await write(token, { ...c, attempts: 0 }, false);
      return { challenge: token, expiresIn: o.ttlSeconds };
    },
    async get(token, purpose) {
      if (token.length > 200) throw new Unauthorized(INVALID);
      const raw = await redis.get(key(token)).catch(() => {
        throw unavailable();
      });
      const c = raw ? (JSON.parse(raw) as Challenge) : undefined;
      if (!c || c.purpose !== purpose) throw new Unauthorized(INVALID);
      return c;
    },
    update: (token, c) => write(token, c, true),
    async fail(token, c) {
      if (c.attempts + 1 >= o.maxAttempts) await redis.del(key(token)).catch(() => {});
      else await write(token, { ...c, attempts: c.attempts + 1 }, true);
    },
    async consume(token) {
      await redis.del(key(token)).catch(() => {});
    },
  };
}
