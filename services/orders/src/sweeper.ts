import type { Logger } from '@storefront/kit';
import type { Core } from './core.ts';
import { fireOverdue } from './saga.ts';
import { dueSagas, lockIfDue } from './store-sagas.ts';

/**
 * Re-drives sagas nobody answered (a participant down, a command lost with a crashed broker) and
 * fires expired deadlines. Several replicas sweep side by side: rows are taken FOR UPDATE SKIP
 * LOCKED, and each saga is handled in its own transaction so one failure does not stall the rest.
 */
export async function sweepOnce(core: Core, batch = 50): Promise<number> {
  let n = 0;
  for (const orderId of await dueSagas(core.db, core.clock(), batch)) {
    try {
      await core.db.tx(async (tx) => {
        const saga = await lockIfDue(tx, orderId, core.clock());
        if (!saga) return;
        await fireOverdue(core, tx, saga, saga.expired);
        n++;
      });
    } catch (err) {
      core.log.warn({ err, orderId }, 'could not re-drive a saga; the next sweep retries');
    }
  }
  return n;
}

export interface Sweeper {
  stop(): Promise<void>;
}

export function startSweeper(
  core: Core,
  o: { intervalMs: number; log: Logger; extra?: () => Promise<unknown> },
): Sweeper {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const tick = async () => {
    try {
      await sweepOnce(core);
      await o.extra?.();
    } catch (err) {
      o.log.warn({ err }, 'saga sweep failed; next tick retries');
    }
  };
  const timer = setInterval(() => {
    if (stopped) return;
    running = running.then(tick);
  }, o.intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
