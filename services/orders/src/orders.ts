import type { Clock, IdFactory } from '@storefront/contracts';
import type { Bus, Db, Faults, Logger, Outbox, Verifier } from '@storefront/kit';
import { createApp } from './app.ts';
import type { CartClient } from './cart-client.ts';
import type { Core, SagaTiming } from './core.ts';
import { subscribeOutcomes } from './events.ts';
import { runPromotionTasks } from './promotions.ts';
import { type Sweeper, startSweeper } from './sweeper.ts';

/** The service assembled from its parts, the same way in main.ts and in the tests. */
export interface OrdersParts {
  readonly db: Db;
  readonly outbox: Outbox;
  readonly clock: Clock;
  readonly newId: IdFactory;
  readonly log: Logger;
  readonly faults: Faults;
  readonly verifier: Verifier;
  readonly cart: CartClient;
  readonly orderTokenSecret: string;
  readonly timing: SagaTiming;
}

export function createOrders(p: OrdersParts) {
  const core: Core = {
    db: p.db,
    outbox: p.outbox,
    clock: p.clock,
    newId: p.newId,
    log: p.log,
    faults: p.faults,
    timing: p.timing,
  };
  return {
    core,
    app: createApp({ ...core, verifier: p.verifier, cart: p.cart, orderTokenSecret: p.orderTokenSecret }),
    subscribe: (bus: Bus) => subscribeOutcomes(bus, core),
    /** The saga sweeper, which also works the promotion redeem/release queue. */
    startSweeper: (intervalMs: number): Sweeper =>
      startSweeper(core, { intervalMs, log: p.log, extra: () => runPromotionTasks(p.db, p.cart, p.log, p.clock) }),
  };
}
