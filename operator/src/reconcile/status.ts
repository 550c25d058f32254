/**
 * status = g(observed): conditions, per-service replicas, URL and running version. Written only
 * when it changed, through the status subresource, with the resourceVersion we read as a
 * precondition: if the spec moved meanwhile the write fails with 409 and the key is retried.
 */

import { isDeepStrictEqual } from 'node:util';
import { FIELD_MANAGER, publicUrl, type StorefrontStatus } from '@storefront/cdk8s';
import type { KubeClient, KubeObject } from '../kube/types.ts';
import { type ConditionInput, mergeConditions } from './conditions.ts';
import type { Observed } from './observe.ts';
import { isMigrated, type ServiceState, serviceRelease, serviceStates, storeState } from './readiness.ts';

const cond = (type: ConditionInput['type'], ok: boolean, reason: string, message = ''): ConditionInput => ({
  type,
  status: ok ? 'True' : 'False',
  reason,
  message,
});

function migrationCondition(observed: Observed): ConditionInput {
  const { release } = observed;
  if (isMigrated(observed))
    return cond('MigrationsComplete', true, 'Migrated', `revision ${release.revision} (version ${release.version})`);
  if (observed.migration === 'failed') {
    return cond(
      'MigrationsComplete',
      false,
      'MigrationFailed',
      `Job for version ${release.version} failed; delete it to retry`,
    );
  }
  if (observed.migration === 'running')
    return cond('MigrationsComplete', false, 'MigrationRunning', `migrating to ${release.version}`);
  return cond(
    'MigrationsComplete',
    false,
    'WaitingForDataPlane',
    'the migration Job starts once the data plane is ready',
  );
}

function rolloutConditions(
  observed: Observed,
  services: readonly ServiceState[],
  base: ConditionInput[],
): ConditionInput[] {
  const notRolledOut = services.filter((s) => !s.rolledOut).map((s) => s.name);
  const unavailable = services.filter((s) => !s.available && s.desiredReplicas > 0).map((s) => s.name);
  const migrated = isMigrated(observed);
  const failing = base.find((c) => c.status !== 'True');
  const done = !failing && notRolledOut.length === 0;

  const progressing = done
    ? cond('Progressing', false, 'RolloutComplete', `version ${observed.release.version} is rolled out`)
    : cond(
        'Progressing',
        true,
        migrated ? 'RollingOut' : (failing?.reason ?? 'Reconciling'),
        notRolledOut.length ? `waiting for ${notRolledOut.join(', ')}` : '',
      );
  const degradedReason =
    observed.migration === 'failed'
      ? 'MigrationFailed'
      : unavailable.length
        ? 'ServiceUnavailable'
        : observed.missingSecrets.length
          ? 'SecretNotFound'
          : '';
  const degraded = degradedReason
    ? cond('Degraded', true, degradedReason, [...unavailable, ...observed.missingSecrets].join(', '))
    : cond('Degraded', false, 'AsExpected');
  const ready = done
    ? cond('Ready', true, 'Ready', `${services.length} services ready`)
    : cond(
        'Ready',
        false,
        failing?.reason ?? 'RollingOut',
        failing?.message || `waiting for ${notRolledOut.join(', ')}`,
      );
  return [ready, progressing, degraded];
}

export function computeStatus(observed: Observed, now: Date): StorefrontStatus {
  const { storefront } = observed;
  const generation = storefront.metadata.generation ?? 0;
  const running = serviceRelease(observed);
  const services = serviceStates(observed, running);
  const stores = {
    postgres: storeState(observed, 'postgres'),
    redis: storeState(observed, 'redis'),
    nats: storeState(observed, 'nats'),
  };
  const base = [
    cond('DatabaseReady', stores.postgres.ready, stores.postgres.reason, stores.postgres.message),
    cond('CacheReady', stores.redis.ready, stores.redis.reason, stores.redis.message),
    cond('MessagingReady', stores.nats.ready, stores.nats.reason, stores.nats.message),
    migrationCondition(observed),
  ];
  const conditions = [...rolloutConditions(observed, services, base), ...base];
  const timestamp = now.toISOString().replace(/\.\d+Z$/, 'Z');
  const status: StorefrontStatus = {
    observedGeneration: generation,
    conditions: mergeConditions(observed.status.conditions, conditions, generation, timestamp),
    services: services.map(({ name, desiredReplicas, readyReplicas, updatedReplicas }) => ({
      name,
      desiredReplicas,
      readyReplicas,
      updatedReplicas,
    })),
    url: publicUrl({
      name: storefront.metadata.name,
      namespace: storefront.metadata.namespace ?? 'default',
      spec: observed.spec,
    }),
    readyServices: `${services.filter((s) => s.rolledOut).length}/${services.length}`,
  };
  if (running)
    Object.assign(status, { version: running.version, image: running.image, migratedRevision: running.revision });
  return status;
}

/** Writes status when it differs from what was read; returns whether it wrote. */
export async function writeStatus(
  client: KubeClient,
  storefront: KubeObject,
  previous: unknown,
  status: StorefrontStatus,
): Promise<boolean> {
  if (isDeepStrictEqual(JSON.parse(JSON.stringify(previous ?? {})), JSON.parse(JSON.stringify(status)))) return false;
  await client.applyStatus(
    {
      apiVersion: storefront.apiVersion,
      kind: storefront.kind,
      metadata: {
        name: storefront.metadata.name,
        namespace: storefront.metadata.namespace,
        resourceVersion: storefront.metadata.resourceVersion,
      },
      status,
    },
    FIELD_MANAGER,
  );
  return true;
}
