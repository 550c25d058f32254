import type { Clock, IdFactory } from '@storefront/contracts';
import { createVerifier, type Db, type Logger, type Outbox, type Redis, type Verifier } from '@storefront/kit';
import { type Challenges, createChallenges } from './challenges.ts';
import type { IdentityConfig } from './config.ts';
import { createLoginGuard, type LoginGuard } from './guard.ts';
import { createKeyRing, type KeyRing } from './keys.ts';
import { createHasher, type PasswordHasher } from './passwords.ts';
import { createSealer, type Sealer } from './secrets.ts';

/** What main.ts (or a test) hands to createApp. */
export interface IdentityDeps {
  readonly db: Db;
  readonly redis: Redis;
  readonly outbox: Outbox;
  readonly log: Logger;
  readonly clock: Clock;
  readonly newId: IdFactory;
  readonly config: IdentityConfig;
}

/** Everything the flows use, built once from the deps. */
export interface Identity extends IdentityDeps {
  readonly hasher: PasswordHasher;
  readonly keys: KeyRing;
  readonly verifier: Verifier;
  readonly guard: LoginGuard;
  readonly challenges: Challenges;
  readonly sealer: Sealer;
}

export function buildIdentity(deps: IdentityDeps): Identity {
  const c = deps.config;
  const sealer = createSealer(c.DATA_ENCRYPTION_KEY);
  const keys = createKeyRing({
    db: deps.db,
    sealer,
    clock: deps.clock,
    issuer: c.JWT_ISSUER,
    audience: c.JWT_AUDIENCE,
    accessTtlSeconds: c.ACCESS_TOKEN_TTL_SECONDS,
    prepublishSeconds: c.KEY_PREPUBLISH_SECONDS,
    maxAgeDays: c.SIGNING_KEY_MAX_AGE_DAYS,
  });
  return {
    ...deps,
    sealer,
    keys,
    hasher: createHasher(
      { memoryKib: c.ARGON2_MEMORY_KIB, timeCost: c.ARGON2_TIME_COST, parallelism: c.ARGON2_PARALLELISM },
      { concurrency: c.HASH_CONCURRENCY, queue: c.HASH_QUEUE, timeoutMs: c.HASH_QUEUE_TIMEOUT_MS },
    ),
    // Identity verifies its own tokens from its key table: no HTTP round trip to itself.
    verifier: createVerifier({
      jwks: keys.resolver,
      issuer: c.JWT_ISSUER,
      audience: c.JWT_AUDIENCE,
      clock: deps.clock,
    }),
    guard: createLoginGuard(deps.redis, {
      ipPerMinute: c.LOGIN_IP_LIMIT_PER_MINUTE,
      threshold: c.LOGIN_LOCK_THRESHOLD,
      baseSeconds: c.LOGIN_LOCK_BASE_SECONDS,
      maxSeconds: c.LOGIN_LOCK_MAX_SECONDS,
    }),
    challenges: createChallenges(deps.redis, { ttlSeconds: 300, maxAttempts: 5 }),
  };
}
