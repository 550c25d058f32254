/** Controller metrics, named like controller-runtime's so existing dashboards and alerts apply. */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface ControllerMetrics {
  readonly registry: Registry;
  readonly reconcileTotal: Counter<'controller' | 'result'>;
  readonly reconcileErrors: Counter<'controller'>;
  readonly reconcileTime: Histogram<'controller'>;
  readonly queueDepth: Gauge<'name'>;
  readonly queueRetries: Counter<'name'>;
  readonly informerRestarts: Counter<'kind'>;
  readonly leader: Gauge<'name'>;
  readonly objectsApplied: Counter<'kind' | 'change'>;
  readonly objectsPruned: Counter<'kind'>;
}

export function createMetrics(): ControllerMetrics {
  const registry = new Registry();
  const opts = { registers: [registry] };
  return {
    registry,
    reconcileTotal: new Counter({
      name: 'controller_runtime_reconcile_total',
      help: 'Reconciles by result (success, error, requeue_after).',
      labelNames: ['controller', 'result'],
      ...opts,
    }),
    reconcileErrors: new Counter({
      name: 'controller_runtime_reconcile_errors_total',
      help: 'Reconciles that failed.',
      labelNames: ['controller'],
      ...opts,
    }),
    reconcileTime: new Histogram({
      name: 'controller_runtime_reconcile_time_seconds',
      help: 'Time per reconcile.',
      labelNames: ['controller'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      ...opts,
    }),
    queueDepth: new Gauge({
      name: 'workqueue_depth',
      help: 'Keys waiting in the work queue.',
      labelNames: ['name'],
      ...opts,
    }),
    queueRetries: new Counter({
      name: 'workqueue_retries_total',
      help: 'Keys re-queued with backoff.',
      labelNames: ['name'],
      ...opts,
    }),
    informerRestarts: new Counter({
      name: 'storefront_operator_informer_restarts_total',
      help: 'Watches restarted after an error or silence.',
      labelNames: ['kind'],
      ...opts,
    }),
    leader: new Gauge({
      name: 'leader_election_master_status',
      help: '1 when this replica is the leader.',
      labelNames: ['name'],
      ...opts,
    }),
    objectsApplied: new Counter({
      name: 'storefront_operator_objects_applied_total',
      help: 'Objects written by server-side apply.',
      labelNames: ['kind', 'change'],
      ...opts,
    }),
    objectsPruned: new Counter({
      name: 'storefront_operator_objects_pruned_total',
      help: 'Owned objects deleted as no longer desired.',
      labelNames: ['kind'],
      ...opts,
    }),
  };
}
