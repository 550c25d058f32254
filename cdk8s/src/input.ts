/**
 * Everything `buildStorefront` needs. It is pure: whatever is random (passwords) or lives in the
 * cluster (the external Postgres endpoint, how far the rollout may go) is read by the operator's
 * observe step and passed in here.
 */
import type { StorefrontSpec } from './api/spec.ts';
import type { Release } from './release.ts';

/** Generated once, then read back from the credentials Secret on every reconcile. */
export interface Credentials {
  readonly postgresPassword: string;
  readonly redisPassword: string;
  readonly natsToken: string;
  /** ADMIN_TOKEN: the staff/service token every service accepts (X-Service-Token). */
  readonly adminToken: string;
  /** identity's first staff admin (BOOTSTRAP_ADMIN_PASSWORD). */
  readonly adminPassword: string;
  /** identity's DATA_ENCRYPTION_KEY (signing keys and TOTP secrets at rest). */
  readonly dataEncryptionKey: string;
  /** Login-role password per database service. */
  readonly databasePasswords: Readonly<Record<string, string>>;
}

export interface PostgresEndpoint {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  /** Query string to keep on service URLs, e.g. `sslmode=require`. */
  readonly params: string;
}

/** How far the rollout may go now: data plane → migration Job for the release → services. */
export interface RolloutGate {
  /** Emit the migration Job for `release` (the data plane is ready and the release is not migrated yet). */
  readonly migrate: boolean;
  /** The release the service Deployments run; none before the first migration completes. */
  readonly services?: Release | undefined;
}

export interface StorefrontInput {
  readonly name: string;
  readonly namespace: string;
  readonly spec: StorefrontSpec;
  /** The release the spec asks for (from `releaseOf(spec)`). */
  readonly release: Release;
  readonly credentials: Credentials;
  /** Required when spec.postgres.mode is external: parsed from the admin URL in the referenced Secret. */
  readonly externalPostgres?: PostgresEndpoint | undefined;
  readonly gate: RolloutGate;
}
