import type { Logger } from '@storefront/kit';
import type { Core } from './core.ts';
import { type Allocation, lockOrder } from './domain.ts';
import { changeSet } from './domain-events.ts';
import { publishStockChanges } from './events.ts';
import { must } from './reservations.ts';
import * as store from './store.ts';

/**
 * Releases holds whose TTL has passed: up to `batch` per transaction, taken with SKIP LOCKED so
 * several replicas sweep side by side and a commit in flight is left alone (it will find the hold
 * expired and refuse). Returns how many were released.
 */
export async function sweepExpired(core: Core, batch = 200): Promise<number> {
  return core.db.tx(async (tx) => {
    const now = core.clock();
    const ids = await store.releaseExpired(tx, now, batch);
    if (!ids.length) return 0;
    const changes = changeSet();
    for (const a of sumBySlot(await store.allocationsOf(tx, ids))) {
      changes.record(must(await store.unreserveRow(tx, a.sku, a.location, a.qty, now), a));
    }
    await publishStockChanges(tx, core.outbox, changes, 'expiry');
    return ids.length;
  });
}

/** One row update per stock row however many expired holds share it, still in lock order. */
function sumBySlot(allocations: readonly Allocation[]): Allocation[] {
  const sums = new Map<string, Allocation>();
  for (const a of allocations) {
    const key = `${a.sku}\u0000${a.location}`;
    sums.set(key, { ...a, qty: (sums.get(key)?.qty ?? 0) + a.qty });
  }
  return lockOrder([...sums.values()]);
}

export interface Sweeper {
  stop(): Promise<void>;
}

/** Sweeps every `intervalMs`, draining at most `maxBatches` batches per tick so a backlog cannot hog the pool. */
export function startSweeper(
  core: Core,
  opts: { intervalMs: number; batch?: number; maxBatches?: number; log: Logger },
): Sweeper {
  let running: Promise<void> | undefined;
  const tick = async () => {
    try {
      for (let i = 0; i < (opts.maxBatches ?? 10); i++) {
        const n = await sweepExpired(core, opts.batch);
        if (n) opts.log.info({ released: n }, 'expired reservations released');
        if (n < (opts.batch ?? 200)) break;
      }
    } catch (err) {
      opts.log.error({ err }, 'reservation sweep failed; next tick retries');
    }
  };
  const timer = setInterval(() => {
    running ??= tick().finally(() => {
      running = undefined;
    });
  }, opts.intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
