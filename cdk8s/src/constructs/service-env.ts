/** The environment of one service's container (see the env contract in packages/kit/src/config.ts). */
import type { ServiceInfo } from '@storefront/contracts';
import type { IEnvVar } from 'kubernetes-models/v1';
import { CONFIG_MAP, databaseEnv, natsEnv, redisEnv, secretEnv } from '../data-endpoints.ts';
import type { StorefrontInput } from '../input.ts';
import { objectName } from '../names.ts';
import { APP_PORT, type EnabledService, httpCallees } from '../topology.ts';

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

/** Env vars in dependency order: `$(VAR)` only expands variables defined earlier in the list. */
export function serviceEnv(
  input: StorefrontInput,
  service: ServiceInfo,
  enabled: readonly EnabledService[],
): IEnvVar[] {
  const env: IEnvVar[] = [
    { name: 'PORT', value: String(APP_PORT) },
    // The migration Job has already migrated this release; services must not race it.
    { name: 'MIGRATE_ON_START', value: 'false' },
    { name: 'SERVICE_NAME', value: service.name },
  ];
  if (service.database) env.push(...databaseEnv(input, service.name));
  if (service.redis) env.push(...redisEnv(input));
  if (service.messaging) env.push(...natsEnv(input));
  for (const callee of httpCallees(service, enabled)) {
    env.push({ name: upstreamVar(callee), value: `http://${objectName(input.name, callee)}:${APP_PORT}` });
  }
  if (service.name === 'payments') env.push(...paymentsEnv(input));
  return env;
}
