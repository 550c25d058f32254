/** One application service: ServiceAccount, Deployment, Service, and HPA + PDB when they apply. */
import { Construct } from 'constructs';
import type { IDeployment } from 'kubernetes-models/apps/v1';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1';
import type { IService, IServiceAccount } from 'kubernetes-models/v1';
import type { StorefrontInput } from '../input.ts';
import { LABELS, objectLabels, objectName, selectorLabels } from '../names.ts';
import type { Release } from '../release.ts';
import { APP_PORT, type EnabledService } from '../topology.ts';
import { configHash } from './config.ts';
import { emit } from './emit.ts';
import { APP_UID, containerSecurityContext, podSecurityContext, resources } from './hardening.ts';
import { configMapEnv, serviceEnv } from './service-env.ts';

const DEFAULT_RESOURCES = { requests: { cpu: '25m', memory: '96Mi' }, limits: { cpu: '500m', memory: '256Mi' } };

const probe = (path: string, periodSeconds: number, failureThreshold: number) => ({
  httpGet: { path, port: 'http' },
  periodSeconds,
  failureThreshold,
  timeoutSeconds: 2,
});

export class ServiceWorkload extends Construct {
  constructor(
    scope: Construct,
    input: StorefrontInput,
    service: EnabledService,
    all: readonly EnabledService[],
    release: Release,
  ) {
    super(scope, service.info.name);
    const { info, settings } = service;
    const name = objectName(input.name, info.name);
    const labels = objectLabels(input.name, info.name, 'service');
    const selector = selectorLabels(input.name, info.name);
    const metadata = { name, labels };

    const account: IServiceAccount = {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata,
      automountServiceAccountToken: false,
    };
    emit(this, account);

    const autoscaling = settings.autoscaling;
    const deployment: IDeployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata,
      spec: {
        // With an HPA the field must be absent: applying it would fight the autoscaler on every reconcile.
        ...(autoscaling ? {} : { replicas: settings.replicas ?? 1 }),
        revisionHistoryLimit: 5,
        selector: { matchLabels: selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: {
          metadata: {
            labels: { ...labels, [LABELS.version]: release.version },
            annotations: { 'storefront.dev/config-hash': configHash(input) },
          },
          spec: {
            serviceAccountName: name,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            terminationGracePeriodSeconds: 30,
            securityContext: podSecurityContext(APP_UID),
            topologySpreadConstraints: ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map((topologyKey) => ({
              maxSkew: 1,
              topologyKey,
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: selector },
            })),
            containers: [
              {
                name: info.name,
                image: release.image,
                imagePullPolicy: input.spec.imagePullPolicy,
                args: [info.name],
                ports: [{ name: 'http', containerPort: APP_PORT, protocol: 'TCP' }],
                envFrom: configMapEnv(input),
                env: serviceEnv(input, info, all),
                startupProbe: probe('/healthz', 2, 30),
                livenessProbe: probe('/healthz', 10, 3),
                readinessProbe: probe('/readyz', 5, 3),
                resources: resources(DEFAULT_RESOURCES, settings.resources),
                securityContext: containerSecurityContext(),
                volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
              },
            ],
            volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
          },
        },
      },
    };
    emit(this, deployment);

    const svc: IService = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata,
      spec: {
        type: 'ClusterIP',
        selector,
        ports: [{ name: 'http', port: APP_PORT, targetPort: 'http', protocol: 'TCP' }],
      },
    };
    emit(this, svc);

    if (autoscaling) {
      const hpa: IHorizontalPodAutoscaler = {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata,
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
          minReplicas: autoscaling.minReplicas,
          maxReplicas: autoscaling.maxReplicas,
          metrics: [
            {
              type: 'Resource',
              resource: {
                name: 'cpu',
                target: { type: 'Utilization', averageUtilization: autoscaling.targetCPUUtilizationPercentage },
              },
            },
          ],
        },
      };
      emit(this, hpa);
    }

    if (autoscaling || (settings.replicas ?? 1) > 0) {
      // maxUnavailable rather than minAvailable: a single replica stays drainable.
      const pdb: IPodDisruptionBudget = {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata,
        spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
      };
      emit(this, pdb);
    }
  }
}
