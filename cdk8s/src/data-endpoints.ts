/** Where the data plane lives for one Storefront: our own StatefulSets, or the external URLs. */
import type { IEnvVar } from 'kubernetes-models/v1';
import type { PostgresEndpoint, StorefrontInput } from './input.ts';
import { objectName } from './names.ts';
import { PORTS } from './topology.ts';

export const CREDENTIALS_SECRET = (storefront: string) => objectName(storefront, 'credentials');
export const CONFIG_MAP = (storefront: string) => objectName(storefront, 'config');
export const DATABASE_NAME = 'storefront';

/** Keys in the credentials Secret. */
export const CREDENTIAL_KEYS = {
  postgres: 'postgres-password',
  redis: 'redis-password',
  nats: 'nats-token',
  adminToken: 'admin-token',
  adminPassword: 'admin-password',
  dataEncryptionKey: 'data-encryption-key',
  database: (service: string) => `db-${service}-password`,
} as const;

const secretEnv = (name: string, secret: string, key: string): IEnvVar => ({
  name,
  valueFrom: { secretKeyRef: { name: secret, key } },
});

export function postgresEndpoint(input: StorefrontInput): PostgresEndpoint {
  if (input.spec.postgres?.mode === 'external') {
    if (!input.externalPostgres) throw new Error('external Postgres endpoint was not observed');
    return input.externalPostgres;
  }
  return { host: objectName(input.name, 'postgres'), port: PORTS.postgres, database: DATABASE_NAME, params: '' };
}

const withParams = (url: string, params: string) => (params ? `${url}?${params}` : url);

/**
 * DATABASE_URL for a service's own login role. The password comes from the Secret through an env
 * var and `$(VAR)` expansion, so no connection string with a password is ever stored in plain text.
 */
export function databaseEnv(input: StorefrontInput, service: string): IEnvVar[] {
  const pg = postgresEndpoint(input);
  return [
    secretEnv('DB_PASSWORD', CREDENTIALS_SECRET(input.name), CREDENTIAL_KEYS.database(service)),
    {
      name: 'DATABASE_URL',
      // Role names follow bin/platform.ts roleName(): dashes become underscores.
      value: withParams(
        `postgres://${service.replaceAll('-', '_')}:$(DB_PASSWORD)@${pg.host}:${pg.port}/${pg.database}`,
        pg.params,
      ),
    },
  ];
}

/** DATABASE_ADMIN_URL for the migration Job: the managed superuser, or the external admin URL as given. */
export function databaseAdminEnv(input: StorefrontInput): IEnvVar[] {
  const external = input.spec.postgres?.external;
  if (input.spec.postgres?.mode === 'external' && external) {
    return [secretEnv('DATABASE_ADMIN_URL', external.secretRef.name, external.secretRef.key)];
  }
  const pg = postgresEndpoint(input);
  return [
    secretEnv('PG_ADMIN_PASSWORD', CREDENTIALS_SECRET(input.name), CREDENTIAL_KEYS.postgres),
    {
      name: 'DATABASE_ADMIN_URL',
      value: `postgres://postgres:$(PG_ADMIN_PASSWORD)@${pg.host}:${pg.port}/${pg.database}`,
    },
  ];
}

export function redisEnv(input: StorefrontInput): IEnvVar[] {
  const redis = input.spec.redis;
  if (redis?.mode === 'external' && redis.external) {
    return [secretEnv('REDIS_URL', redis.external.secretRef.name, redis.external.secretRef.key)];
  }
  return [
    secretEnv('REDIS_PASSWORD', CREDENTIALS_SECRET(input.name), CREDENTIAL_KEYS.redis),
    { name: 'REDIS_URL', value: `redis://:$(REDIS_PASSWORD)@${objectName(input.name, 'redis')}:${PORTS.redis}` },
  ];
}

export function natsEnv(input: StorefrontInput): IEnvVar[] {
  const nats = input.spec.nats;
  if (nats?.mode === 'external' && nats.external) {
    return [secretEnv('NATS_URL', nats.external.secretRef.name, nats.external.secretRef.key)];
  }
  return [
    secretEnv('NATS_TOKEN', CREDENTIALS_SECRET(input.name), CREDENTIAL_KEYS.nats),
    { name: 'NATS_URL', value: `nats://$(NATS_TOKEN)@${objectName(input.name, 'nats')}:${PORTS.nats}` },
  ];
}

export { secretEnv };
