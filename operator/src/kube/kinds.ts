/** The kinds the operator reads or writes, with their REST plural. RBAC in the chart mirrors this list. */
export interface KindInfo {
  readonly apiVersion: string;
  readonly plural: string;
  readonly namespaced: boolean;
}

export const KINDS: Readonly<Record<string, KindInfo>> = {
  Storefront: { apiVersion: 'storefront.dev/v1alpha1', plural: 'storefronts', namespaced: true },
  ConfigMap: { apiVersion: 'v1', plural: 'configmaps', namespaced: true },
  Secret: { apiVersion: 'v1', plural: 'secrets', namespaced: true },
  Service: { apiVersion: 'v1', plural: 'services', namespaced: true },
  ServiceAccount: { apiVersion: 'v1', plural: 'serviceaccounts', namespaced: true },
  Event: { apiVersion: 'v1', plural: 'events', namespaced: true },
  Deployment: { apiVersion: 'apps/v1', plural: 'deployments', namespaced: true },
  StatefulSet: { apiVersion: 'apps/v1', plural: 'statefulsets', namespaced: true },
  Job: { apiVersion: 'batch/v1', plural: 'jobs', namespaced: true },
  HorizontalPodAutoscaler: { apiVersion: 'autoscaling/v2', plural: 'horizontalpodautoscalers', namespaced: true },
  PodDisruptionBudget: { apiVersion: 'policy/v1', plural: 'poddisruptionbudgets', namespaced: true },
  NetworkPolicy: { apiVersion: 'networking.k8s.io/v1', plural: 'networkpolicies', namespaced: true },
  Ingress: { apiVersion: 'networking.k8s.io/v1', plural: 'ingresses', namespaced: true },
  ServiceMonitor: { apiVersion: 'monitoring.coreos.com/v1', plural: 'servicemonitors', namespaced: true },
  Lease: { apiVersion: 'coordination.k8s.io/v1', plural: 'leases', namespaced: true },
};

/** Kinds the operator never touches but tooling (tests/e2e/k8s) reads through the same client. */
export const TOOLING_KINDS: Readonly<Record<string, KindInfo>> = {
  Namespace: { apiVersion: 'v1', plural: 'namespaces', namespaced: false },
  PersistentVolumeClaim: { apiVersion: 'v1', plural: 'persistentvolumeclaims', namespaced: true },
  CustomResourceDefinition: {
    apiVersion: 'apiextensions.k8s.io/v1',
    plural: 'customresourcedefinitions',
    namespaced: false,
  },
};

/** Kinds a Storefront owns: watched (label-filtered) for drift, listed for pruning. */
export const OWNED_KINDS = [
  'ConfigMap',
  'Secret',
  'Service',
  'ServiceAccount',
  'Deployment',
  'StatefulSet',
  'Job',
  'HorizontalPodAutoscaler',
  'PodDisruptionBudget',
  'NetworkPolicy',
  'Ingress',
  'ServiceMonitor',
] as const;

export function kindInfo(kind: string): KindInfo {
  const info = KINDS[kind] ?? TOOLING_KINDS[kind];
  if (!info) throw new Error(`unknown kind ${kind}`);
  return info;
}

/** REST path of a collection or (with name) an object. */
export function resourcePath(kind: string, namespace?: string, name?: string): string {
  const { apiVersion, plural, namespaced } = kindInfo(kind);
  const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  const ns = namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${plural}${name ? `/${encodeURIComponent(name)}` : ''}`;
}
