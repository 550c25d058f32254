/** Readiness facts read off observed objects; shared by the rollout gate and the status. */
import { enabledServices, objectName, type Release } from '@storefront/cdk8s';
import type { KubeObject } from '../kube/types.ts';
import type { Observed } from './observe.ts';

export type Store = 'postgres' | 'redis' | 'nats';
export interface StoreState {
  readonly ready: boolean;
  readonly reason: string;
  readonly message: string;
}

const NEEDS: Record<Store, 'database' | 'redis' | 'messaging'> = {
  postgres: 'database',
  redis: 'redis',
  nats: 'messaging',
};

type Workload = { spec?: { replicas?: number }; status?: Record<string, number | undefined> };
const workload = (o: KubeObject | undefined) => o as unknown as Workload | undefined;

export function storeState(observed: Observed, store: Store): StoreState {
  const { spec, storefront } = observed;
  if (!enabledServices(spec).some((s) => s.info[NEEDS[store]]))
    return { ready: true, reason: 'NotRequired', message: '' };
  const settings = spec[store];
  if (settings?.mode === 'external') {
    const ref = settings.external?.secretRef;
    const missing = ref && observed.missingSecrets.some((m) => m === ref.name || m === `${ref.name}/${ref.key}`);
    return missing
      ? { ready: false, reason: 'SecretNotFound', message: `secret ${ref.name} (key ${ref.key}) not found` }
      : { ready: true, reason: 'External', message: 'using the external instance' };
  }
  const sts = workload(observed.owned.get(`StatefulSet/${objectName(storefront.metadata.name, store)}`));
  if (!sts) return { ready: false, reason: 'Creating', message: `StatefulSet ${store} not created yet` };
  const want = sts.spec?.replicas ?? 1;
  const ready = sts.status?.readyReplicas ?? 0;
  return ready >= want
    ? { ready: true, reason: 'StatefulSetReady', message: `${ready}/${want} ready` }
    : { ready: false, reason: 'StatefulSetNotReady', message: `${ready}/${want} ready` };
}

export const dataPlaneReady = (observed: Observed) =>
  (['postgres', 'redis', 'nats'] as const).every((store) => storeState(observed, store).ready);

export const isMigrated = (observed: Observed) =>
  observed.status.migratedRevision === observed.release.revision || observed.migration === 'succeeded';

/** The release the services should run now: the new one once migrated, else the last running one. */
export const serviceRelease = (observed: Observed): Release | undefined =>
  isMigrated(observed) ? observed.release : observed.running;

export interface ServiceState {
  readonly name: string;
  readonly desiredReplicas: number;
  readonly readyReplicas: number;
  readonly updatedReplicas: number;
  /** Fully rolled out to `release`: new pods updated and ready, old pods gone. */
  readonly rolledOut: boolean;
  readonly available: boolean;
}

export function serviceStates(observed: Observed, release: Release | undefined): ServiceState[] {
  return enabledServices(observed.spec).map(({ info }) => {
    const live = observed.owned.get(`Deployment/${objectName(observed.storefront.metadata.name, info.name)}`);
    const dep = workload(live);
    const desiredReplicas = dep?.spec?.replicas ?? 0;
    const s = dep?.status ?? {};
    const readyReplicas = s.readyReplicas ?? 0;
    const updatedReplicas = s.updatedReplicas ?? 0;
    const image = (live?.spec as { template?: { spec?: { containers?: { image?: string }[] } } } | undefined)?.template
      ?.spec?.containers?.[0]?.image;
    const rolledOut =
      !!live &&
      !!release &&
      image === release.image &&
      (s.observedGeneration ?? 0) >= (live.metadata.generation ?? 1) &&
      updatedReplicas >= desiredReplicas &&
      readyReplicas >= desiredReplicas &&
      (s.replicas ?? 0) <= desiredReplicas;
    const availableCondition = (
      live?.status as { conditions?: { type: string; status: string }[] } | undefined
    )?.conditions?.find((c) => c.type === 'Available');
    return {
      name: info.name,
      desiredReplicas,
      readyReplicas,
      updatedReplicas,
      rolledOut,
      available: availableCondition ? availableCondition.status === 'True' : readyReplicas > 0 || desiredReplicas === 0,
    };
  });
}
