import type { ServiceInfo } from '@storefront/contracts';
import { urlForRole } from '@storefront/kit';
import { roleName } from '../../bin/platform.ts';
import type { LauncherConfig } from './config.ts';
import { type LocalSecrets, passwordFor } from './secrets.ts';

/**
 * The environment one service gets under `npm start` — the same variables the operator sets on
 * Kubernetes, with local addresses. Services only read env in their main.ts.
 */
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
  };
  if (svc.database) {
    const role = roleName(svc.name, config.DB_ROLE_PREFIX);
    env.DATABASE_URL = urlForRole(config.DATABASE_URL, role, passwordFor(secrets, svc.name));
  }
  for (const other of ctx.services) {
    env[`UPSTREAM_${other.name.toUpperCase().replaceAll('-', '_')}_URL`] = `http://127.0.0.1:${other.port + offset}`;
  }
  return env;
}
