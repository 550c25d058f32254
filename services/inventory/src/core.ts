import type { Clock, IdFactory } from '@storefront/contracts';
import type { Db, Outbox } from '@storefront/kit';

/** What the stock operations need: the database, the outbox, time and ids (arguments, so tests control them). */
export interface Core {
  readonly db: Db;
  readonly outbox: Outbox;
  readonly clock: Clock;
  readonly newId: IdFactory;
}
