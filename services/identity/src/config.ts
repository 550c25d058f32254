import { authConfigShape, baseConfigShape, dataConfigShape, env } from '@storefront/kit';
import { z } from 'zod';

/**
 * Identity's variables on top of the kit's. Defaults are production values; tests and the local
 * launcher override a few (lighter argon2 in tests, LOG_TOKENS_FOR_DEV and BOOTSTRAP_ADMIN_* locally).
 */
export const identityConfigShape = {
  JWT_ISSUER: authConfigShape.JWT_ISSUER,
  JWT_AUDIENCE: authConfigShape.JWT_AUDIENCE,
  ACCESS_TOKEN_TTL_SECONDS: env.int(900, 30, 900),
  REFRESH_TOKEN_TTL_DAYS: env.int(14, 1, 90),
  SESSION_MAX_DAYS: env.int(30, 1, 365),
  /** OWASP argon2id: m=19456 KiB, t=2, p=1. Stored hashes with other values are rehashed at login. */
  ARGON2_MEMORY_KIB: env.int(19_456, 64, 1_048_576),
  ARGON2_TIME_COST: env.int(2, 1, 20),
  ARGON2_PARALLELISM: env.int(1, 1, 8),
  /** Hashes at once (each ~18 ms of a core); beyond that, up to HASH_QUEUE wait, the rest get 503. */
  HASH_CONCURRENCY: env.int(2, 1, 64),
  HASH_QUEUE: env.int(32, 0, 10_000),
  HASH_QUEUE_TIMEOUT_MS: env.int(2_000, 10, 60_000),
  LOGIN_IP_LIMIT_PER_MINUTE: env.int(30, 1, 100_000),
  LOGIN_LOCK_THRESHOLD: env.int(5, 1, 100),
  LOGIN_LOCK_BASE_SECONDS: env.int(30, 1, 3_600),
  LOGIN_LOCK_MAX_SECONDS: env.int(900, 1, 86_400),
  /** Created as the first admin when no admin exists yet. */
  BOOTSTRAP_ADMIN_EMAIL: z.email().max(254).optional(),
  BOOTSTRAP_ADMIN_PASSWORD: z.string().min(12).max(128).optional(),
  /** Local development only: log verification and reset links so `npm start` shows them. */
  LOG_TOKENS_FOR_DEV: env.bool(false),
  /** Where the web app lives; links in emails point here. */
  PUBLIC_BASE_URL: z.url().default('http://localhost:8080'),
  /** Secure cookies; only a plain-http localhost setup turns this off. */
  COOKIE_SECURE: env.bool(true),
  COOKIE_DOMAIN: z.string().max(253).optional(),
  /** The path identity is reached under through the gateway; the refresh cookie is scoped to it. */
  PUBLIC_PATH_PREFIX: z
    .string()
    .regex(/^(\/[\w-]+)*$/)
    .default('/api/identity'),
  /** Encrypts signing keys and TOTP secrets at rest (≥ 32 characters). Without it they are stored in clear. */
  DATA_ENCRYPTION_KEY: z.string().min(32).max(512).optional(),
  /** Proxies in front of identity whose X-Forwarded-For entries are believed (the gateway: 1). */
  TRUSTED_PROXY_HOPS: env.int(1, 0, 5),
  /** A signing key older than this is rotated at start. */
  SIGNING_KEY_MAX_AGE_DAYS: env.int(90, 1, 3_650),
  /** A new key is in the JWKS this long before it signs, so verifiers with a cached key set know it. */
  KEY_PREPUBLISH_SECONDS: env.int(60, 0, 3_600),
};

export const identityConfig = z.object({ ...baseConfigShape, ...dataConfigShape, ...identityConfigShape });
export type IdentityConfig = z.infer<typeof identityConfig>;
