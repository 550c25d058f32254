/**
 * Kubernetes Events for the transitions an operator of the store cares about (migration started
 * and finished, rollout complete, drift repaired, objects pruned, errors), deduplicated so a
 * reconcile loop cannot flood the API server.
 */
import type { KubeClient, KubeObject } from '../kube/types.ts';

export type EventType = 'Normal' | 'Warning';
export interface EventRecorder {
  record(object: KubeObject, type: EventType, reason: string, message: string): Promise<void>;
}

export class KubeEventRecorder implements EventRecorder {
  private readonly client: KubeClient;
  private readonly instance: string;
  private readonly clock: () => Date;
  private readonly recent = new Map<string, number>();

  constructor(client: KubeClient, instance: string, clock: () => Date = () => new Date()) {
    this.client = client;
    this.instance = instance;
    this.clock = clock;
  }

  async record(object: KubeObject, type: EventType, reason: string, message: string): Promise<void> {
    const now = this.clock();
    const key = `${object.metadata.uid}/${reason}/${message}`;
    const last = this.recent.get(key);
    if (last !== undefined && now.getTime() - last < 5 * 60_000) return;
    this.recent.set(key, now.getTime());
    if (this.recent.size > 1000) this.recent.delete(this.recent.keys().next().value as string);
    const timestamp = now.toISOString().replace(/\.\d+Z$/, 'Z');
    await this.client
      .create({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: {
          name: `${object.metadata.name}.${now.getTime().toString(16)}${Math.floor(Math.random() * 4096).toString(16)}`,
          namespace: object.metadata.namespace,
        },
        involvedObject: {
          apiVersion: object.apiVersion,
          kind: object.kind,
          name: object.metadata.name,
          namespace: object.metadata.namespace,
          uid: object.metadata.uid,
          resourceVersion: object.metadata.resourceVersion,
        },
        type,
        reason,
        message: message.slice(0, 1024),
        // The legacy core/v1 shape: setting eventTime would also require action and reporting fields.
        source: { component: 'storefront-operator', host: this.instance },
        firstTimestamp: timestamp,
        lastTimestamp: timestamp,
        count: 1,
      })
      // An Event is best effort: failing to record one must not fail the reconcile.
      .catch(() => undefined);
  }
}

/** For tests and dry runs. */
export class MemoryEventRecorder implements EventRecorder {
  readonly events: { name: string; type: EventType; reason: string; message: string }[] = [];
  async record(object: KubeObject, type: EventType, reason: string, message: string): Promise<void> {
    this.events.push({ name: object.metadata.name, type, reason, message });
  }
}
