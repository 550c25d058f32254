/**
 * The control loop: informers on Storefronts and on every owned kind (filtered by the managed-by
 * label) feed Storefront keys into the work queue; workers reconcile one key at a time, retry
 * failures with per-key backoff and requeue rollouts in progress.
 */
import { LABELS, MANAGED_BY } from '@storefront/cdk8s';
import { Informer, type InformerOptions } from '../kube/informer.ts';
import { KINDS, OWNED_KINDS } from '../kube/kinds.ts';
import type { KubeClient, KubeObject } from '../kube/types.ts';
import { type ReconcileResult, reconcile } from '../reconcile/reconciler.ts';
import type { EventRecorder } from './events.ts';
import type { ControllerMetrics } from './metrics.ts';
import { WorkQueue } from './work-queue.ts';

export interface ControllerOptions {
  readonly client: KubeClient;
  readonly events: EventRecorder;
  readonly metrics: ControllerMetrics;
  /** Only this namespace; all namespaces when undefined. */
  readonly namespace?: string | undefined;
  readonly workers?: number;
  readonly resyncMs?: number;
  readonly informer?: Partial<InformerOptions>;
  readonly queue?: WorkQueue;
  readonly log?: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
  /** Seen by tests: each finished reconcile. */
  readonly onReconciled?: (key: string, result: ReconcileResult | Error) => void;
}

const NAME = 'storefront';

/** The Storefront an object belongs to: its controller owner reference, else its instance label. */
export function ownerKey(object: KubeObject): string | undefined {
  const namespace = object.metadata.namespace ?? 'default';
  if (object.kind === 'Storefront') return `${namespace}/${object.metadata.name}`;
  const owner = object.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'Storefront');
  const name = owner?.name ?? object.metadata.labels?.[LABELS.instance];
  return name ? `${namespace}/${name}` : undefined;
}

export class Controller {
  readonly queue: WorkQueue;
  private readonly o: ControllerOptions;
  private readonly informers: Informer[] = [];
  private running = false;
  private workers: Promise<void>[] = [];

  constructor(options: ControllerOptions) {
    this.o = options;
    this.queue = options.queue ?? new WorkQueue({ onDepth: (d) => options.metrics.queueDepth.set({ name: NAME }, d) });
  }

  get synced(): boolean {
    return this.running && this.informers.every((i) => i.hasSynced);
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const { client, namespace, metrics } = this.o;
    const watch = (kind: string, labelSelector?: string) => {
      const informer = new Informer(
        client,
        {
          apiVersion: KINDS[kind]?.apiVersion ?? '',
          kind,
          namespace,
          labelSelector,
          resyncMs: this.o.resyncMs,
          ...this.o.informer,
          onError: (error) => {
            metrics.informerRestarts.inc({ kind });
            this.o.log?.('warn', 'watch failed; restarting', { kind, error: String(error) });
          },
        },
        (_type, object) => {
          const key = ownerKey(object);
          if (key) this.queue.add(key);
        },
      );
      this.informers.push(informer);
      return informer.start();
    };
    const managed = `${LABELS.managedBy}=${MANAGED_BY}`;
    await Promise.all([watch('Storefront'), ...OWNED_KINDS.map((kind) => watch(kind, managed))]);
    this.workers = Array.from({ length: this.o.workers ?? 2 }, () => this.work());
  }

  /** Stops watching and reconciling; a reconcile in flight finishes first. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const informer of this.informers.splice(0)) informer.stop();
    this.queue.shutdown();
    await Promise.all(this.workers);
  }

  private async work(): Promise<void> {
    const { metrics } = this.o;
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined || !this.running) return;
      const [namespace = '', name = ''] = key.split('/');
      const end = metrics.reconcileTime.startTimer({ controller: NAME });
      try {
        const result = await reconcile({ client: this.o.client, events: this.o.events }, namespace, name);
        this.queue.forget(key);
        for (const { object, change } of result.applied) metrics.objectsApplied.inc({ kind: object.kind, change });
        for (const object of result.pruned) metrics.objectsPruned.inc({ kind: object.kind });
        if (result.requeueAfterMs) this.queue.addAfter(key, result.requeueAfterMs);
        if (result.gone) {
          this.o.log?.(
            'info',
            'Storefront deleted: owned objects are garbage-collected; PVCs and <name>-credentials are retained',
            { key },
          );
        }
        metrics.reconcileTotal.inc({ controller: NAME, result: result.requeueAfterMs ? 'requeue_after' : 'success' });
        this.o.onReconciled?.(key, result);
      } catch (error) {
        metrics.reconcileTotal.inc({ controller: NAME, result: 'error' });
        metrics.reconcileErrors.inc({ controller: NAME });
        metrics.queueRetries.inc({ name: NAME });
        const delay = this.queue.addRateLimited(key);
        this.o.log?.('error', 'reconcile failed; retrying', { key, delayMs: delay, error: String(error) });
        this.o.onReconciled?.(key, error as Error);
      } finally {
        end();
        this.queue.done(key);
      }
    }
  }
}
