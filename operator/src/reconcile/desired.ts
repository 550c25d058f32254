/**
 * desired = f(observed): the cdk8s constructs, fed with what observe read. The rollout order lives
 * here: the migration Job appears only when the data plane is ready and the release is not yet
 * migrated; services run the newest migrated release (the previous one during an upgrade).
 */
import { buildStorefront, type KubeObject as Desired, type RolloutGate } from '@storefront/cdk8s';
import type { Observed } from './observe.ts';
import { dataPlaneReady, isMigrated, serviceRelease } from './readiness.ts';

export function rolloutGate(observed: Observed): RolloutGate {
  return { migrate: !isMigrated(observed) && dataPlaneReady(observed), services: serviceRelease(observed) };
}

export function desired(observed: Observed): Desired[] {
  const { metadata } = observed.storefront;
  return buildStorefront({
    name: metadata.name,
    namespace: metadata.namespace ?? 'default',
    spec: observed.spec,
    release: observed.release,
    credentials: observed.credentials,
    externalPostgres: observed.externalPostgres,
    gate: rolloutGate(observed),
  });
}
