/**
 * The small Kubernetes client surface the operator needs. The reconciler depends on this
 * interface only, so it runs against the real API server (rest-client.ts) or the in-memory fake
 * (fake-api-server.ts) that tests use, since no API server can run here.
 */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  [field: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string | undefined;
}

export interface ListOptions {
  namespace?: string | undefined;
  labelSelector?: string | undefined;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

export interface WatchHandle {
  stop(): void;
}

export interface KubeClient {
  /** undefined when the object does not exist. */
  get(ref: ObjectRef): Promise<KubeObject | undefined>;
  /** An empty list when the kind is not served (e.g. ServiceMonitor without Prometheus Operator). */
  list(
    apiVersion: string,
    kind: string,
    options: ListOptions,
  ): Promise<{ items: KubeObject[]; resourceVersion: string }>;
  /** Server-side apply. A `metadata.resourceVersion` in the body is a precondition (409 when stale). */
  apply(object: KubeObject, fieldManager: string): Promise<KubeObject>;
  /** Server-side apply to the status subresource. */
  applyStatus(object: KubeObject, fieldManager: string): Promise<KubeObject>;
  create(object: KubeObject): Promise<KubeObject>;
  /** Update guarded by `metadata.resourceVersion` (409 when stale). */
  replace(object: KubeObject): Promise<KubeObject>;
  /** Background propagation: dependents go through the garbage collector. false when already gone. */
  delete(ref: ObjectRef): Promise<boolean>;
  watch(
    apiVersion: string,
    kind: string,
    options: ListOptions & { resourceVersion: string },
    onEvent: (type: WatchEventType, object: KubeObject) => void,
    onDone: (error?: unknown) => void,
  ): Promise<WatchHandle>;
}

/** A failed API call: `code` is the HTTP status (409 conflict, 410 gone, 422 invalid, ...). */
export class ApiError extends Error {
  readonly code: number;
  readonly reason: string;
  constructor(code: number, reason: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.reason = reason;
  }
}

export const isApiError = (error: unknown, code?: number): error is ApiError =>
  error instanceof ApiError && (code === undefined || error.code === code);

export const refOf = (o: KubeObject): ObjectRef => ({
  apiVersion: o.apiVersion,
  kind: o.kind,
  name: o.metadata.name,
  namespace: o.metadata.namespace,
});

export const keyOf = (o: { kind: string; metadata: { name: string } }) => `${o.kind}/${o.metadata.name}`;
