import { fileURLToPath } from 'node:url';

export { type BusOptions, connectBus } from './connect.ts';
export {
  type DeadLetter,
  type DeadLetterFilter,
  listDeadLetters,
  type RedriveOptions,
  type RedriveResult,
  redrive,
} from './redrive.ts';
export { runRedriveCli } from './redrive-cli.ts';
export { EventRejected } from './rejected.ts';
export type { Bus, EventContext, EventHandler, Outbox, SubscribeOptions } from './types.ts';

/** The kit's bus tables; services migrate with `migrate(db, [busMigrationsDir, ownDir])`. */
export const busMigrationsDir = fileURLToPath(new URL('../../migrations/bus', import.meta.url));
