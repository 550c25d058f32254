/** The shared ConfigMap and the credentials Secret. */
import { createHash } from 'node:crypto';
import { SERVICES } from '@storefront/contracts';
import { Construct } from 'constructs';
import type { IConfigMap, ISecret } from 'kubernetes-models/v1';
import { CONFIG_MAP, CREDENTIAL_KEYS, CREDENTIALS_SECRET } from '../data-endpoints.ts';
import type { StorefrontInput } from '../input.ts';
import { ANNOTATIONS, objectLabels } from '../names.ts';
import { emit } from './emit.ts';

/** EVENT_PREFIX must match ^[a-z][a-z0-9_]{0,31}$ (kit config); derive it from the DNS name. */
export function eventPrefix(storefront: string): string {
  const cleaned = storefront.replaceAll('-', '_').replace(/[^a-z0-9_]/g, '');
  return (/^[a-z]/.test(cleaned) ? cleaned : `s${cleaned}`).slice(0, 32);
}

export function configData(input: StorefrontInput): Record<string, string> {
  const o11y = input.spec.observability;
  const data: Record<string, string> = {
    LOG_LEVEL: o11y?.logLevel ?? 'info',
    EVENT_PREFIX: eventPrefix(input.name),
    REDIS_PREFIX: `${input.name}:`,
    SHUTDOWN_GRACE_SECONDS: '20',
  };
  if (o11y?.otlpEndpoint) data.OTEL_EXPORTER_OTLP_ENDPOINT = o11y.otlpEndpoint;
  return data;
}

/** Stamped on pod templates so a config change rolls the pods (env from a ConfigMap is read once). */
export const configHash = (input: StorefrontInput): string =>
  createHash('sha256')
    .update(JSON.stringify(configData(input)))
    .digest('hex')
    .slice(0, 16);

export const databaseServices = (): string[] => SERVICES.filter((s) => s.database).map((s) => s.name);

const b64 = (value: string) => Buffer.from(value, 'utf8').toString('base64');

export class StorefrontConfig extends Construct {
  constructor(scope: Construct, id: string, input: StorefrontInput) {
    super(scope, id);
    const configMap: IConfigMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: CONFIG_MAP(input.name), labels: objectLabels(input.name, 'config', 'config') },
      data: configData(input),
    };
    emit(this, configMap);

    const { credentials } = input;
    const data: Record<string, string> = {
      [CREDENTIAL_KEYS.postgres]: b64(credentials.postgresPassword),
      [CREDENTIAL_KEYS.redis]: b64(credentials.redisPassword),
      [CREDENTIAL_KEYS.nats]: b64(credentials.natsToken),
      [CREDENTIAL_KEYS.adminToken]: b64(credentials.adminToken),
      [CREDENTIAL_KEYS.adminPassword]: b64(credentials.adminPassword),
      [CREDENTIAL_KEYS.dataEncryptionKey]: b64(credentials.dataEncryptionKey),
    };
    // Every database service, enabled or not, so re-enabling one finds its old password.
    for (const service of databaseServices()) {
      const password = credentials.databasePasswords[service];
      if (!password) throw new Error(`no database password for ${service}`);
      data[CREDENTIAL_KEYS.database(service)] = b64(password);
    }
    const secret: ISecret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: CREDENTIALS_SECRET(input.name),
        labels: objectLabels(input.name, 'credentials', 'config'),
        // Retained data (PVCs) was initialised with these passwords; deleting them would lock it.
        annotations: { [ANNOTATIONS.retain]: 'true' },
      },
      type: 'Opaque',
      data,
    };
    emit(this, secret);
  }
}
