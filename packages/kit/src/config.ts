import { z } from 'zod';
import { retentionConfigShape } from './db/retention-config.ts';

export class ConfigError extends Error {
  readonly issues: readonly { variable: string; message: string }[];
  constructor(issues: readonly { variable: string; message: string }[]) {
    super(`invalid configuration:\n${issues.map((i) => `  ${i.variable}: ${i.message}`).join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/**
 * Parses env once against a schema whose keys are the variable names. Boot fails with every
 * offending variable named, so a bad deployment says what to fix.
 */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((i) => ({
      variable: i.path.map(String).join('.') || '(env)',
      message: i.message,
    })),
  );
}

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const env = {
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  url: () => z.url(),
  bool: (fallback: boolean) => bool.default(fallback),
  int: (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
    z.coerce.number().int().min(min).max(max).default(fallback),
  list: () =>
    z
      .string()
      .default('')
      .transform((s) =>
        s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
      ),
};

/** Variables every service understands; a service extends this with its own. */
export const baseConfigShape = {
  PORT: env.port(8080),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * Share (0–1) of ordinary requests (below 400, not slow) whose access line is at info; the rest
   * are at debug. 5xx are always at error, slow answers at warn, 4xx at info.
   */
  ACCESS_LOG_SAMPLE: z.coerce.number().min(0).max(1).default(0.01),
  /** An answer that took at least this many milliseconds is logged at warn. */
  ACCESS_LOG_SLOW_MS: env.int(1000, 0),
  /** Body size limit in bytes for every route. */
  BODY_LIMIT: env.int(1_048_576, 1),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  /** Fault flags for chaos tests: JSON rules, or a file re-read when it changes. */
  FAULTS: z.string().optional(),
  FAULTS_FILE: z.string().optional(),
  /** Seconds to let in-flight work drain on SIGTERM before forcing exit. */
  SHUTDOWN_GRACE_SECONDS: env.int(20, 0, 600),
};

export const baseConfig = z.object(baseConfigShape);
export type BaseConfig = z.infer<typeof baseConfig>;

export const dataConfigShape = {
  DATABASE_URL: z.url().default('postgres://127.0.0.1:5432/storefront'),
  REDIS_URL: z.url().default('redis://127.0.0.1:6379'),
  /** Every Redis key this installation writes starts with this. */
  REDIS_PREFIX: z.string().max(64).default('sf:'),
  NATS_URL: z.string().default('nats://127.0.0.1:4222'),
  /** Subjects are `<EVENT_PREFIX>.<domain>.<event>.vN` and the stream is `<EVENT_PREFIX>_EVENTS`. */
  EVENT_PREFIX: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,31}$/)
    .default('sf'),
  /** Locally each service migrates its own schema at start; on Kubernetes a Job does it first. */
  MIGRATE_ON_START: env.bool(true),
  /**
   * Postgres connections per process at most. Event consumers and request handlers share them; a
   * service whose consumers run many handlers at once (orders) may want more. Mind the server's
   * max_connections across replicas.
   */
  DB_POOL_MAX: env.int(10, 1, 200),
  /** Pruning of dedupe tables (inbox, webhook ids): windows and pace, see db/retention-config.ts. */
  ...retentionConfigShape,
};
