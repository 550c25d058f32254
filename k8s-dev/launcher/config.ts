import { env, loadConfig, z } from '@storefront/kit';

/** Everything `npm start` can be told, all optional: the defaults run the demo store. */
export const launcherConfig = z.object({
  /** The platform's database; created if missing. Its user must be allowed to create roles. */
  DATABASE_URL: z.url().default('postgres://postgres@127.0.0.1:5432/storefront'),
  REDIS_URL: z.url().default('redis://127.0.0.1:6379'),
  NATS_URL: z.string().default('nats://127.0.0.1:4222'),
  REDIS_PREFIX: z.string().max(64).default('sf:'),
  EVENT_PREFIX: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,31}$/)
    .default('sf'),
  /** The public port; every other service takes its usual port shifted by the same amount. */
  GATEWAY_PORT: env.port(8080),
  /** Prefix for the per-service database roles (tests use one per run; roles are server-wide). */
  DB_ROLE_PREFIX: z
    .string()
    .regex(/^[a-z0-9_]{0,30}$/)
    .default(''),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['pretty', 'json']).default('pretty'),
  DATA_DIR: z.string().default('.data'),
  /** How many demo products to seed (idempotent: re-running adds nothing). 0 skips seeding. */
  SEED_PRODUCTS: env.int(400, 0, 2_000_000),
  /** Start only these services (comma list); default every service whose folder exists. */
  SERVICES: env.list(),
  READY_TIMEOUT_SECONDS: env.int(90, 1, 600),
});

export type LauncherConfig = z.infer<typeof launcherConfig>;

export function readLauncherConfig(): LauncherConfig {
  return loadConfig(launcherConfig);
}
