/** A sample Storefront exercising most of the spec: used by `npm run synth` and the snapshot tests. */
import type { StorefrontSpecInput } from './api/spec.ts';

export const SAMPLE_NAME = 'shop';
export const SAMPLE_NAMESPACE = 'storefront';

export const SAMPLE_SPEC: StorefrontSpecInput = {
  image: 'ghcr.io/storefront/storefront',
  version: '0.1.0',
  services: {
    gateway: { autoscaling: { minReplicas: 2, maxReplicas: 6, targetCPUUtilizationPercentage: 70 } },
    catalog: { autoscaling: { minReplicas: 2, maxReplicas: 8 }, resources: { limits: { memory: '384Mi' } } },
    web: { replicas: 2 },
    crm: { enabled: false },
  },
  postgres: { mode: 'managed', managed: { storage: '10Gi' } },
  redis: { mode: 'managed' },
  nats: { mode: 'managed', managed: { replicas: 3, storage: '5Gi' } },
  payments: { provider: 'stripe', secretRef: { name: 'shop-stripe' } },
  ingress: { host: 'shop.example.com', className: 'nginx', tlsSecretName: 'shop-tls' },
  observability: {
    otlpEndpoint: 'http://otel-collector.monitoring:4318',
    serviceMonitor: { enabled: true, labels: { release: 'kube-prometheus-stack' } },
  },
};

export const sampleResource = () => ({
  apiVersion: 'storefront.dev/v1alpha1',
  kind: 'Storefront',
  metadata: { name: SAMPLE_NAME, namespace: SAMPLE_NAMESPACE },
  spec: SAMPLE_SPEC,
});
