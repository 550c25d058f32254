/**
 * Fixture for crash-before-ack.test.ts: a consumer process whose fault rule SIGKILLs it right
 * after its inbox transaction commits and before the ack — a real process death, not a mock.
 */
import { createDb } from '../db/pool.ts';
import { createFaults } from '../faults.ts';
import { createLogger } from '../log.ts';
import { createMetrics } from '../metrics.ts';
import { connectBus } from './connect.ts';

function need(key: string): string {
  const v = process.env[key];
  if (!v) throw new Error(`${key} is not set`);
  return v;
}

const db = createDb({ url: need('CHILD_DATABASE_URL'), schema: need('CHILD_SCHEMA') });
const bus = await connectBus({
  service: 'crashy',
  natsUrl: need('CHILD_NATS_URL'),
  prefix: need('CHILD_PREFIX'),
  db,
  log: createLogger({ service: 'crashy', level: 'silent' }),
  metrics: createMetrics({ service: 'crashy', runtime: false }),
  faults: createFaults({ json: need('FAULTS') }),
});
bus.subscribe(
  'effects',
  ['kit.ping.v1'],
  async (event, ctx) => {
    await ctx.tx.query('INSERT INTO effects (event_id, consumer, n) VALUES ($1, $2, $3)', [
      event.id,
      'crashy',
      event.payload.n,
    ]);
  },
  { backoffMs: [100, 200] },
);
await bus.start();
process.stdout.write('ready\n');
