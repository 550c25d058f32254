/**
 * One reconcile of one Storefront: observe → desired → apply → prune → status, then Events for
 * what changed. Errors propagate to the work queue, which retries the key with backoff.
 */
import { migrationJobName } from '@storefront/cdk8s';
import type { EventRecorder } from '../controller/events.ts';
import { KINDS } from '../kube/kinds.ts';
import type { KubeClient, KubeObject } from '../kube/types.ts';
import { type Applied, apply } from './apply.ts';
import { transitions } from './conditions.ts';
import { desired } from './desired.ts';
import { InvalidSpec, type Observed, observe } from './observe.ts';
import { prune } from './prune.ts';
import { computeStatus, writeStatus } from './status.ts';

export interface ReconcileResult {
  /** Look again after this long even without an event (rollout in progress). */
  readonly requeueAfterMs?: number;
  readonly applied: readonly Applied[];
  readonly pruned: readonly KubeObject[];
  readonly statusWritten: boolean;
  /** The Storefront no longer exists (or is being deleted). */
  readonly gone?: boolean;
}

export interface ReconcilerDeps {
  readonly client: KubeClient;
  readonly events: EventRecorder;
  readonly clock?: () => Date;
  /** Password generator (tests pass a deterministic one). */
  readonly random?: () => string;
}

const NOTHING: ReconcileResult = { applied: [], pruned: [], statusWritten: false };

export async function reconcile(deps: ReconcilerDeps, namespace: string, name: string): Promise<ReconcileResult> {
  const { client, events } = deps;
  const storefront = await client.get({
    apiVersion: KINDS.Storefront?.apiVersion ?? '',
    kind: 'Storefront',
    namespace,
    name,
  });
  // Gone or going: the garbage collector removes what we own through the owner references.
  if (!storefront || storefront.metadata.deletionTimestamp) return { ...NOTHING, gone: true };

  let observed: Observed;
  try {
    observed = await observe(client, storefront, deps.random);
  } catch (error) {
    if (!(error instanceof InvalidSpec)) throw error;
    await events.record(storefront, 'Warning', 'InvalidSpec', error.message);
    return NOTHING; // a spec change brings us back; retrying cannot help
  }
  if (observed.spec.suspend) {
    await events.record(storefront, 'Normal', 'Suspended', 'reconciliation is suspended; objects are left as they are');
    return NOTHING;
  }

  const objects = desired(observed);
  const { applied, immutable } = await apply(client, objects, observed);
  if (immutable.length) {
    await events.record(
      storefront,
      'Warning',
      'ImmutableFieldChanged',
      `not applied (immutable): ${immutable.join(', ')}; resize PVCs directly`,
    );
  }
  const pruned = await prune(client, objects, observed);
  // A Job created just now is running: say so now rather than one watch event later.
  const jobName = migrationJobName(name, observed.release.revision);
  const started = applied.some(
    (a) => a.object.kind === 'Job' && a.object.metadata.name === jobName && a.change === 'created',
  );
  const status = computeStatus(
    started ? { ...observed, migration: 'running' } : observed,
    deps.clock?.() ?? new Date(),
  );
  const statusWritten = await writeStatus(client, storefront, storefront.status, status);

  await recordEvents(events, storefront, observed, applied, pruned, status);
  const ready = status.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
  return { applied, pruned, statusWritten, ...(ready ? {} : { requeueAfterMs: 15_000 }) };
}

async function recordEvents(
  events: EventRecorder,
  storefront: KubeObject,
  observed: Observed,
  applied: readonly Applied[],
  pruned: readonly KubeObject[],
  status: ReturnType<typeof computeStatus>,
): Promise<void> {
  const job = migrationJobName(storefront.metadata.name, observed.release.revision);
  for (const { object, change } of applied) {
    if (object.kind === 'Job' && object.metadata.name === job && change === 'created') {
      await events.record(
        storefront,
        'Normal',
        'MigrationStarted',
        `Job ${job} migrates to version ${observed.release.version}`,
      );
    }
    if (change === 'repaired')
      await events.record(
        storefront,
        'Normal',
        'DriftRepaired',
        `${object.kind}/${object.metadata.name} was changed outside the operator and restored`,
      );
  }
  if (pruned.length)
    await events.record(storefront, 'Normal', 'Pruned', pruned.map((o) => `${o.kind}/${o.metadata.name}`).join(', '));
  const wasReady = observed.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
  for (const c of transitions(observed.status.conditions, status.conditions ?? [])) {
    if (c.type === 'MigrationsComplete' && c.status === 'True')
      await events.record(storefront, 'Normal', 'MigrationComplete', c.message ?? '');
    if (c.type === 'Ready' && c.status === 'True') await events.record(storefront, 'Normal', 'Ready', c.message ?? '');
    // Not-ready on creation is expected; losing readiness is worth a warning.
    if (c.type === 'Ready' && c.status !== 'True' && wasReady) {
      await events.record(storefront, 'Warning', 'NotReady', c.message ?? '');
    }
    if (c.type === 'Degraded' && c.status === 'True')
      await events.record(storefront, 'Warning', c.reason, c.message ?? '');
  }
}
