import { SERVICES, type ServiceInfo, serviceInfo } from '@storefront/contracts';
import { urlForRole } from '@storefront/kit';
import { roleName } from '../../bin/platform.ts';
import type { LauncherConfig } from './config.ts';
import { type LocalSecrets, passwordFor } from './secrets.ts';

/**
 * The environment one service gets under `npm start` — the same variables the operator sets on
 * Kubernetes, with local addresses. Services only read env in their main.ts.
 */
function identityPort(ctx: { offset: number }): number {
  return (serviceInfo('identity')?.port ?? 8082) + ctx.offset;
}

export function serviceEnv(
  svc: ServiceInfo,
  ctx: { config: LauncherConfig; secrets: LocalSecrets; offset: number; services: readonly ServiceInfo[] },
): Record<string, string> {
  const { config, secrets, offset } = ctx;
  const env: Record<string, string> = {
    PORT: String(svc.port + offset),
    HOST: '127.0.0.1',
    LOG_LEVEL: config.LOG_LEVEL,
    REDIS_URL: config.REDIS_URL,
    REDIS_PREFIX: config.REDIS_PREFIX,
    NATS_URL: config.NATS_URL,
    EVENT_PREFIX: config.EVENT_PREFIX,
    ADMIN_TOKEN: secrets.adminToken,
    // The launcher already migrated every schema; a service migrating again would only find nothing to do.
    MIGRATE_ON_START: 'false',
    // Every service verifies access tokens against identity's key set (defence in depth).
    JWKS_URL: `http://127.0.0.1:${identityPort(ctx)}/.well-known/jwks.json`,
  };
  if (svc.name === 'payments') {
    env.PUBLIC_BASE_URL = `http://localhost:${config.GATEWAY_PORT}/api/payments`;
    env.SANDBOX_WEBHOOK_SECRET = secrets.webhookSecret;
  }
  if (svc.name === 'fulfillment') env.DEVCARRIER_WEBHOOK_SECRET = secrets.webhookSecret;
  // Plain http on localhost: the browser would drop a Secure cookie (the guest cart, form tokens).
  if (svc.name === 'web') env.COOKIE_SECURE = 'false';
  if (svc.name === 'identity') {
    Object.assign(env, {
      BOOTSTRAP_ADMIN_EMAIL: secrets.adminEmail,
      BOOTSTRAP_ADMIN_PASSWORD: secrets.adminPassword,
      DATA_ENCRYPTION_KEY: secrets.dataEncryptionKey,
      // No mail server locally: verification and reset links appear in this output instead.
      LOG_TOKENS_FOR_DEV: 'true',
      COOKIE_SECURE: 'false',
      PUBLIC_BASE_URL: `http://localhost:${config.GATEWAY_PORT}`,
    });
  }
  if (svc.database) {
    const role = roleName(svc.name, config.DB_ROLE_PREFIX);
    env.DATABASE_URL = urlForRole(config.DATABASE_URL, role, passwordFor(secrets, svc.name));
  }
  // Every service gets an address on this run's ports, started or not, so a route to a service
  // that is not running can never reach another run's copy on the default port.
  for (const other of SERVICES) {
    env[`UPSTREAM_${other.name.toUpperCase().replaceAll('-', '_')}_URL`] = `http://127.0.0.1:${other.port + offset}`;
  }
  const started = new Set(ctx.services.map((s) => s.name));
  env.DISABLED_SERVICES = SERVICES.filter((s) => !started.has(s.name))
    .map((s) => s.name)
    .join(',');
  return env;
}
