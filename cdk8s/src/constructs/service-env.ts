/** The environment of one service's container (see the env contract in packages/kit/src/config.ts). */
import { SERVICES, type ServiceInfo } from '@storefront/contracts';
import type { IEnvVar } from 'kubernetes-models/v1';
import {
  CONFIG_MAP,
  CREDENTIAL_KEYS,
  CREDENTIALS_SECRET,
  databaseEnv,
  natsEnv,
  redisEnv,
  secretEnv,
} from '../data-endpoints.ts';
import type { StorefrontInput } from '../input.ts';
import { objectName } from '../names.ts';
import { APP_PORT, type EnabledService } from '../topology.ts';
import { publicUrl } from './edge.ts';

/** LOG_LEVEL, EVENT_PREFIX, REDIS_PREFIX, OTLP endpoint: shared by every container we run. */
export const configMapEnv = (input: StorefrontInput) => [{ configMapRef: { name: CONFIG_MAP(input.name) } }];

const upstreamVar = (service: string) => `UPSTREAM_${service.toUpperCase().replaceAll('-', '_')}_URL`;

function paymentsEnv(input: StorefrontInput): IEnvVar[] {
  const payments = input.spec.payments ?? { provider: 'sandbox' as const };
  const env: IEnvVar[] = [{ name: 'PAYMENTS_PROVIDER', value: payments.provider }];
  if (payments.provider === 'stripe' && payments.secretRef) {
    const secret = payments.secretRef.name;
    env.push(secretEnv('STRIPE_SECRET_KEY', secret, 'STRIPE_SECRET_KEY'));
    env.push(secretEnv('STRIPE_WEBHOOK_SECRET', secret, 'STRIPE_WEBHOOK_SECRET'));
  }
  return env;
}

function identityEnv(input: StorefrontInput): IEnvVar[] {
  const secret = CREDENTIALS_SECRET(input.name);
  const host = input.spec.ingress?.host;
  return [
    { name: 'BOOTSTRAP_ADMIN_EMAIL', value: `admin@${host?.includes('.') ? host : 'storefront.local'}` },
    secretEnv('BOOTSTRAP_ADMIN_PASSWORD', secret, CREDENTIAL_KEYS.adminPassword),
    secretEnv('DATA_ENCRYPTION_KEY', secret, CREDENTIAL_KEYS.dataEncryptionKey),
    { name: 'PUBLIC_BASE_URL', value: publicUrl(input).replace(/\/$/, '') },
    { name: 'COOKIE_SECURE', value: String(Boolean(input.spec.ingress?.tlsSecretName)) },
  ];
}

/** Env vars in dependency order: `$(VAR)` only expands variables defined earlier in the list. */
export function serviceEnv(
  input: StorefrontInput,
  service: ServiceInfo,
  enabled: readonly EnabledService[],
): IEnvVar[] {
  const url = (name: string) => `http://${objectName(input.name, name)}:${APP_PORT}`;
  const env: IEnvVar[] = [
    { name: 'PORT', value: String(APP_PORT) },
    // The migration Job has already migrated this release; services must not race it.
    { name: 'MIGRATE_ON_START', value: 'false' },
    secretEnv('ADMIN_TOKEN', CREDENTIALS_SECRET(input.name), CREDENTIAL_KEYS.adminToken),
    { name: 'JWKS_URL', value: `${url('identity')}/.well-known/jwks.json` },
  ];
  if (service.database) env.push(...databaseEnv(input, service.name));
  if (service.redis) env.push(...redisEnv(input));
  if (service.messaging) env.push(...natsEnv(input));
  // Same shape as the launcher: an address for every service; NetworkPolicies decide who may call.
  for (const other of SERVICES) env.push({ name: upstreamVar(other.name), value: url(other.name) });
  const running = new Set(enabled.map((s) => s.info.name));
  env.push({
    name: 'DISABLED_SERVICES',
    value: SERVICES.filter((s) => !running.has(s.name))
      .map((s) => s.name)
      .join(','),
  });
  if (service.name === 'identity') env.push(...identityEnv(input));
  if (service.name === 'payments') env.push(...paymentsEnv(input));
  // Web sets its own cookies (guest cart, form tokens): Secure whenever the shop is served over TLS.
  if (service.name === 'web')
    env.push({ name: 'COOKIE_SECURE', value: String(Boolean(input.spec.ingress?.tlsSecretName)) });
  return env;
}
