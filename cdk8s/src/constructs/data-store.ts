/**
 * The shape shared by the managed Postgres, Redis and NATS: a headless Service and a StatefulSet
 * whose PersistentVolumeClaims are retained when the Storefront goes (data outlives the store;
 * deleting it is a human decision).
 */
import type { Construct } from 'constructs';
import type { IStatefulSet } from 'kubernetes-models/apps/v1';
import type { IContainer, IService, IVolume } from 'kubernetes-models/v1';
import type { ResourcesSpec } from '../api/spec.ts';
import type { StorefrontInput } from '../input.ts';
import { type Component, objectLabels, objectName, selectorLabels } from '../names.ts';
import { emit } from './emit.ts';
import { containerSecurityContext, podSecurityContext, resources } from './hardening.ts';

export interface DataStoreProps {
  readonly part: 'postgres' | 'redis' | 'nats';
  readonly component: Component;
  readonly image: string;
  /** The uid the stock image runs as. */
  readonly uid: number;
  readonly replicas: number;
  readonly ports: { name: string; port: number }[];
  readonly container: Pick<IContainer, 'args' | 'env' | 'livenessProbe' | 'readinessProbe' | 'startupProbe'>;
  readonly dataPath: string;
  /** Writable paths the image needs besides its data directory (the root filesystem is read-only). */
  readonly scratchPaths: string[];
  readonly extraVolumes?: { volume: IVolume; mountPath: string }[];
  readonly storage: string;
  readonly storageClassName?: string | undefined;
  readonly resources: Required<ResourcesSpec>;
  readonly resourceOverrides?: ResourcesSpec | undefined;
  readonly podAnnotations?: Record<string, string>;
}

export function dataStore(scope: Construct, input: StorefrontInput, props: DataStoreProps): void {
  const name = objectName(input.name, props.part);
  const labels = objectLabels(input.name, props.part, props.component);
  const selector = selectorLabels(input.name, props.part);
  const scratch = props.scratchPaths.map((path, i) => ({ name: `scratch-${i}`, path }));

  const service: IService = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, labels },
    spec: {
      clusterIP: 'None',
      // Peers must find each other before they are ready (NATS cluster routes).
      publishNotReadyAddresses: props.replicas > 1,
      selector,
      ports: props.ports.map(({ name: portName, port }) => ({
        name: portName,
        port,
        targetPort: portName,
        protocol: 'TCP',
      })),
    },
  };
  emit(scope, service);

  const statefulSet: IStatefulSet = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, labels },
    spec: {
      serviceName: name,
      replicas: props.replicas,
      podManagementPolicy: 'Parallel',
      selector: { matchLabels: selector },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      template: {
        metadata: { labels, ...(props.podAnnotations ? { annotations: props.podAnnotations } : {}) },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: podSecurityContext(props.uid),
          containers: [
            {
              name: props.part,
              image: props.image,
              imagePullPolicy: 'IfNotPresent',
              ...props.container,
              ports: props.ports.map(({ name: portName, port }) => ({
                name: portName,
                containerPort: port,
                protocol: 'TCP',
              })),
              resources: resources(props.resources, props.resourceOverrides),
              securityContext: containerSecurityContext(),
              volumeMounts: [
                { name: 'data', mountPath: props.dataPath },
                ...scratch.map(({ name: volume, path }) => ({ name: volume, mountPath: path })),
                ...(props.extraVolumes ?? []).map(({ volume, mountPath }) => ({
                  name: volume.name,
                  mountPath,
                  readOnly: true,
                })),
              ],
            },
          ],
          volumes: [
            ...scratch.map(({ name: volume }) => ({ name: volume, emptyDir: { sizeLimit: '256Mi' } })),
            ...(props.extraVolumes ?? []).map(({ volume }) => volume),
          ],
        },
      },
      volumeClaimTemplates: [
        {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { name: 'data', labels },
          spec: {
            accessModes: ['ReadWriteOnce'],
            ...(props.storageClassName ? { storageClassName: props.storageClassName } : {}),
            resources: { requests: { storage: props.storage } },
          },
        },
      ],
    },
  };
  emit(scope, statefulSet);
}
