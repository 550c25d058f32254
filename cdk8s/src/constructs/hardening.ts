/**
 * Security contexts. Our image runs as uid 10001 with a read-only root filesystem; the stock
 * postgres, redis and nats images run as their own users and need writable volumes, so each data
 * store passes its uid and mounts emptyDirs where its image writes.
 */
import type { IContainer, IPodSecurityContext, ISecurityContext } from 'kubernetes-models/v1';

export const APP_UID = 10001;

export function podSecurityContext(uid: number): IPodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    fsGroup: uid,
    fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

export function containerSecurityContext(): ISecurityContext {
  return {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
  };
}

type ResourceSpec = { requests?: { cpu?: string; memory?: string }; limits?: { cpu?: string; memory?: string } };

/** Field-wise merge of the spec's resources over a component's defaults. */
export function resources(defaults: Required<ResourceSpec>, override?: ResourceSpec): IContainer['resources'] {
  return {
    requests: { ...defaults.requests, ...override?.requests },
    limits: { ...defaults.limits, ...override?.limits },
  };
}
