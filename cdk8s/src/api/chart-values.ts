/**
 * The values of our two Helm charts, as zod. generate.ts turns them into each chart's
 * values.schema.json, so `helm install` rejects a bad values file before anything is applied.
 */
import { z } from 'zod';
import { Resources, StorefrontSpec } from './spec.ts';

const labels = z.record(z.string().max(63), z.string().max(63));
const dnsLabel = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);

/** charts/storefront: one Storefront plus optional dashboards and alert rules. */
export const StorefrontChartValues = z.strictObject({
  name: dnsLabel.max(40).default('storefront').describe('metadata.name of the Storefront'),
  labels: labels.default({}),
  spec: StorefrontSpec,
  dashboards: z
    .strictObject({
      enabled: z.boolean().default(false),
      labels: labels.default({ grafana_dashboard: '1' }).describe('Labels the Grafana sidecar selects on.'),
    })
    .default({ enabled: false, labels: { grafana_dashboard: '1' } }),
  prometheusRules: z
    .strictObject({
      enabled: z.boolean().default(false),
      labels: labels.default({}).describe('e.g. release: kube-prometheus-stack'),
    })
    .default({ enabled: false, labels: {} }),
});

/** charts/storefront-operator. */
export const OperatorChartValues = z.strictObject({
  image: z.strictObject({
    repository: z.string().min(1).max(256),
    tag: z.string().max(128).default('').describe('Defaults to the chart appVersion.'),
    pullPolicy: z.enum(['IfNotPresent', 'Always', 'Never']).default('IfNotPresent'),
  }),
  imagePullSecrets: z
    .array(z.strictObject({ name: dnsLabel }))
    .max(8)
    .default([]),
  replicaCount: z.int().min(1).max(5).default(2),
  crds: z.strictObject({ create: z.boolean().default(true) }).describe('Install the CRD (kept on uninstall).'),
  leaderElection: z.strictObject({ enabled: z.boolean().default(true) }),
  watchNamespace: z.string().max(63).default('').describe('Only reconcile this namespace; empty means all.'),
  logLevel: z.enum(['error', 'warn', 'info', 'debug']).default('info'),
  resyncSeconds: z.int().min(30).max(3600).default(300),
  resources: Resources,
  nodeSelector: labels.default({}),
  tolerations: z.array(z.record(z.string(), z.unknown())).max(16).default([]),
  podAnnotations: z.record(z.string().max(253), z.string().max(1024)).default({}),
  serviceMonitor: z.strictObject({
    enabled: z.boolean().default(false),
    labels: labels.default({}).describe('kube-prometheus-stack selects on release: <its release name>.'),
    interval: z
      .string()
      .max(16)
      .regex(/^[0-9]+(s|m)$/)
      .default('30s'),
  }),
});

export type StorefrontChartValues = z.output<typeof StorefrontChartValues>;
export type OperatorChartValues = z.output<typeof OperatorChartValues>;
