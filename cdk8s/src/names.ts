/**
 * Names and labels of everything a Storefront owns. They are part of the API: selectors are
 * immutable on Deployments and StatefulSets, and the operator finds its objects by these labels,
 * so change them only with a migration plan.
 */
export const MANAGED_BY = 'storefront-operator';
export const FIELD_MANAGER = 'storefront-operator';

export const LABELS = {
  name: 'app.kubernetes.io/name',
  instance: 'app.kubernetes.io/instance',
  component: 'app.kubernetes.io/component',
  partOf: 'app.kubernetes.io/part-of',
  managedBy: 'app.kubernetes.io/managed-by',
  version: 'app.kubernetes.io/version',
  /** Stamped on migration Jobs: the release revision they migrate to. */
  revision: 'storefront.dev/revision',
} as const;

export const ANNOTATIONS = {
  /** Objects that must outlive their Storefront (credentials of retained data) get no owner reference. */
  retain: 'storefront.dev/retain',
} as const;

export type Component = 'service' | 'database' | 'cache' | 'messaging' | 'migration' | 'edge' | 'config';

/** `<storefront>-<part>`: every object name is prefixed so several stores can share a namespace. */
export const objectName = (storefront: string, part: string): string => `${storefront}-${part}`;

/** The immutable selector labels of a workload. */
export function selectorLabels(storefront: string, name: string): Record<string, string> {
  return { [LABELS.name]: name, [LABELS.instance]: storefront };
}

/** The label set every owned object carries; the operator's watches filter on managed-by. */
export function objectLabels(storefront: string, name: string, component: Component): Record<string, string> {
  return {
    ...selectorLabels(storefront, name),
    [LABELS.component]: component,
    [LABELS.partOf]: 'storefront',
    [LABELS.managedBy]: MANAGED_BY,
  };
}

/** Label selector (string form) for everything owned by one Storefront. */
export const ownedSelector = (storefront: string): string =>
  `${LABELS.managedBy}=${MANAGED_BY},${LABELS.instance}=${storefront}`;
