import { SERVICES } from '@storefront/contracts';
import {
  authConfigShape,
  baseConfigShape,
  ConfigError,
  dataConfigShape,
  env,
  type InternalPathsOptions,
} from '@storefront/kit';
import { z } from 'zod';

/**
 * The gateway's variables. main.ts parses them once (kit loadConfig); everything else receives
 * the parsed values as arguments. Route classes: `read` (GET/HEAD/OPTIONS), `write` (other
 * methods) and `auth` (writes to identity: logins, sign-ups, token refresh). A per-class table
 * has a `default` entry used by every class that has none of its own.
 */
const Limit = z.object({
  /** Tokens added per second. */
  rate: z.number().positive().max(1_000_000),
  /** Bucket size: how many requests may arrive at once. */
  burst: z.number().int().positive().max(1_000_000),
});
export type RateLimit = z.infer<typeof Limit>;

const perClass = <T extends z.ZodType>(item: T) =>
  z.strictObject({ default: item, read: item.optional(), write: item.optional(), auth: item.optional() });

/** A JSON-valued variable with a default, validated by `schema`; bad JSON names the variable. */
function jsonVar<T extends z.ZodType>(schema: T, fallback: z.input<T>) {
  return z
    .string()
    .default(JSON.stringify(fallback))
    .transform((s, ctx) => {
      try {
        return JSON.parse(s) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'is not valid JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

/** `false`/`0` trusts nobody; `true` trusts one proxy hop (the ingress); a number trusts that many. */
const trustProxy = z
  .string()
  .default('false')
  .transform((s, ctx) => {
    if (['false', 'no', '0', ''].includes(s)) return 0;
    if (['true', 'yes'].includes(s)) return 1;
    const n = Number(s);
    if (Number.isInteger(n) && n > 0 && n <= 10) return n;
    ctx.addIssue({ code: 'custom', message: 'must be true, false or a hop count 1..10' });
    return z.NEVER;
  });

export const gatewayConfig = z.object({
  ...baseConfigShape,
  REDIS_URL: dataConfigShape.REDIS_URL,
  REDIS_PREFIX: dataConfigShape.REDIS_PREFIX,
  NATS_URL: dataConfigShape.NATS_URL,
  EVENT_PREFIX: dataConfigShape.EVENT_PREFIX,
  /** Browser origins allowed to call /api cross-origin; none by default. */
  CORS_ORIGINS: env.list().pipe(z.array(z.url()).max(50)),
  TRUST_PROXY: trustProxy,
  RATE_LIMITS: jsonVar(perClass(Limit), {
    default: { rate: 50, burst: 100 },
    write: { rate: 10, burst: 30 },
    auth: { rate: 0.2, burst: 10 },
  }),
  RATE_LIMIT_ENABLED: env.bool(true),
  UPSTREAM_TIMEOUTS_MS: jsonVar(perClass(z.number().int().min(10).max(600_000)), { default: 5_000, write: 15_000 }),
  UPSTREAM_CONNECT_TIMEOUT_MS: env.int(2_000, 10, 60_000),
  /** Keep-alive connections per upstream origin. */
  UPSTREAM_CONNECTIONS: env.int(64, 1, 10_000),
  UPSTREAM_KEEPALIVE_MS: env.int(30_000, 1_000, 600_000),
  /** Consecutive transport failures that open an upstream's circuit, and how long it stays open. */
  CIRCUIT_FAILURES: env.int(5, 1, 1_000),
  CIRCUIT_OPEN_MS: env.int(5_000, 100, 600_000),
  /** Optional services switched off in this installation: their routes answer 503. */
  DISABLED_SERVICES: env.list(),
  CACHE_ENABLED: env.bool(true),
  CACHE_TTL_SECONDS: env.int(60, 1, 86_400),
  CACHE_MAX_BYTES: env.int(262_144, 1_024, 8_388_608),
  /** After a Redis failure, skip Redis for this long so no request pays the command timeout again. */
  REDIS_SKIP_MS: env.int(3_000, 0, 600_000),
  OPENAPI_CACHE_SECONDS: env.int(30, 0, 3_600),
  /** JWT_ISSUER, JWT_AUDIENCE, JWKS_URL: whose access tokens the edge accepts. */
  ...authConfigShape,
  /** The installation's service token; web proves itself with an HMAC of it (web-relay.ts). */
  ADMIN_TOKEN: z.string().min(16).max(200).optional(),
  /** Who may read the gateway's own /metrics and /openapi.json without METRICS_TOKEN. */
  METRICS_ALLOW: z.enum(['loopback-and-private', 'any']).default('loopback-and-private'),
  /** `Authorization: Bearer <token>` opens /metrics to a scraper outside the private network. */
  METRICS_TOKEN: z.string().min(16).max(200).optional(),
});
export type GatewayConfig = z.infer<typeof gatewayConfig>;

/** The kit's guard for /metrics and /openapi.json: the gateway is the one server the internet reaches. */
export function internalPaths(config: GatewayConfig): InternalPathsOptions {
  return { allowFrom: config.METRICS_ALLOW, token: config.METRICS_TOKEN, trustedHops: config.TRUST_PROXY };
}

/** Upstream names: every service the gateway routes under /api, plus `web` for everything else. */
export function upstreamNames(): string[] {
  return [...SERVICES.filter((s) => s.routedByGateway).map((s) => s.name), 'web'];
}

export const upstreamVar = (name: string) => `UPSTREAM_${name.toUpperCase().replaceAll('-', '_')}_URL`;

/**
 * `UPSTREAM_<SERVICE>_URL` for each upstream, defaulting to the service's local port from the
 * one SERVICES list. Kept apart from the zod object because the set of names comes from data.
 */
export function upstreamUrls(source: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  const issues: { variable: string; message: string }[] = [];
  for (const name of upstreamNames()) {
    const variable = upstreamVar(name);
    const port = SERVICES.find((s) => s.name === name)?.port;
    const value = source[variable] ?? `http://127.0.0.1:${port}`;
    const parsed = URL.canParse(value) ? new URL(value) : undefined;
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.search || parsed.hash) {
      issues.push({ variable, message: 'must be an http(s) URL without query or fragment' });
      continue;
    }
    out[name] = value.replace(/\/+$/, '');
  }
  if (issues.length) throw new ConfigError(issues);
  return out;
}
