/**
 * observe: read the Storefront and everything it owns, fresh from the API server (level-triggered:
 * never trust the event that woke us). Also the impure inputs of `desired`: the kept credentials
 * (generated here when missing) and the external Postgres endpoint from its Secret.
 */
import {
  ANNOTATIONS,
  CREDENTIALS_SECRET,
  type Credentials,
  decodeSecretData,
  ensureCredentials,
  migrationJobName,
  ownedSelector,
  type PostgresEndpoint,
  type Release,
  releaseOf,
  StorefrontSpec,
  StorefrontStatus,
} from '@storefront/cdk8s';
import { KINDS, OWNED_KINDS } from '../kube/kinds.ts';
import { type KubeClient, type KubeObject, keyOf } from '../kube/types.ts';

export type MigrationState = 'absent' | 'running' | 'succeeded' | 'failed';

export interface Observed {
  readonly storefront: KubeObject;
  readonly spec: StorefrontSpec;
  readonly status: StorefrontStatus;
  /** The release the spec asks for. */
  readonly release: Release;
  /** The release whose migration completed and that the services were last set to, from status. */
  readonly running?: Release | undefined;
  /** `Kind/name` → live object, for objects this Storefront controls (plus its retained credentials). */
  readonly owned: ReadonlyMap<string, KubeObject>;
  readonly credentials: Credentials;
  readonly externalPostgres?: PostgresEndpoint | undefined;
  /** Secrets the spec references that do not exist. */
  readonly missingSecrets: readonly string[];
  /** State of the migration Job of `release`. */
  readonly migration: MigrationState;
}

export class InvalidSpec extends Error {
  override readonly name = 'InvalidSpec';
}

const jobState = (job: KubeObject | undefined): MigrationState => {
  if (!job) return 'absent';
  const conditions = (
    (job.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []
  ).filter((c) => c.status === 'True');
  if (conditions.some((c) => c.type === 'Complete')) return 'succeeded';
  if (conditions.some((c) => c.type === 'Failed')) return 'failed';
  return 'running';
};

function parseEndpoint(url: string): PostgresEndpoint {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    database: u.pathname.replace(/^\//, '') || 'postgres',
    params: u.search.replace(/^\?/, ''),
  };
}

async function secretValue(
  client: KubeClient,
  namespace: string,
  name: string,
  key: string,
): Promise<string | undefined> {
  const secret = await client.get({ apiVersion: 'v1', kind: 'Secret', namespace, name });
  if (!secret) return undefined;
  return decodeSecretData(secret.data as Record<string, string> | undefined)[key] ?? '';
}

export async function observe(client: KubeClient, storefront: KubeObject, random?: () => string): Promise<Observed> {
  const { name, namespace = 'default', uid } = storefront.metadata;
  const parsed = StorefrontSpec.safeParse(storefront.spec);
  if (!parsed.success)
    throw new InvalidSpec(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const spec = parsed.data;
  const status = StorefrontStatus.safeParse(storefront.status ?? {}).data ?? {};

  const owned = new Map<string, KubeObject>();
  const lists = await Promise.all(
    OWNED_KINDS.map((kind) =>
      client.list(KINDS[kind]?.apiVersion ?? '', kind, { namespace, labelSelector: ownedSelector(name) }),
    ),
  );
  for (const item of lists.flatMap((l) => l.items)) {
    const controlled = item.metadata.ownerReferences?.some((r) => r.controller && r.uid === uid);
    const retained = item.metadata.annotations?.[ANNOTATIONS.retain] === 'true';
    if (controlled || retained) owned.set(keyOf(item), item);
  }

  const stored = owned.get(`Secret/${CREDENTIALS_SECRET(name)}`);
  const credentials = ensureCredentials(decodeSecretData(stored?.data as Record<string, string> | undefined), random);

  const missingSecrets: string[] = [];
  let externalPostgres: PostgresEndpoint | undefined;
  const pgRef = spec.postgres?.mode === 'external' ? spec.postgres.external?.secretRef : undefined;
  if (pgRef) {
    const url = await secretValue(client, namespace, pgRef.name, pgRef.key);
    if (url) externalPostgres = parseEndpoint(url);
    else missingSecrets.push(`${pgRef.name}/${pgRef.key}`);
  }
  for (const ref of [spec.redis?.external?.secretRef, spec.nats?.external?.secretRef, spec.payments?.secretRef]) {
    if (ref && !(await client.get({ apiVersion: 'v1', kind: 'Secret', namespace, name: ref.name })))
      missingSecrets.push(ref.name);
  }

  const release = releaseOf(spec);
  const running =
    status.migratedRevision && status.image && status.version
      ? { image: status.image, version: status.version, revision: status.migratedRevision }
      : undefined;
  const migration = jobState(owned.get(`Job/${migrationJobName(name, release.revision)}`));
  return {
    storefront,
    spec,
    status,
    release,
    running,
    owned,
    credentials,
    externalPostgres,
    missingSecrets,
    migration,
  };
}
