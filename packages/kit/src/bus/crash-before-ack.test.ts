import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { testEnv, testEventPrefix } from '../testing/index.ts';
import { streamName } from './names.ts';
import { busSuite, count, metricValue, type TestDb, testBus, waitFor } from './test-support.ts';

describe('crash between commit and ack', () => {
  let db: TestDb;
  busSuite((migrated) => {
    db = migrated;
  });

  it('does not apply the effect twice when the consumer process dies after commit, before ack', async () => {
    const prefix = testEventPrefix();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./crash-child.ts', import.meta.url))],
      {
        env: {
          ...process.env,
          CHILD_DATABASE_URL: testEnv().databaseUrl,
          CHILD_SCHEMA: db.schema,
          CHILD_NATS_URL: testEnv().natsUrl,
          CHILD_PREFIX: prefix,
          FAULTS: JSON.stringify([{ crashAfter: 'bus.committed:crashy-effects' }]),
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const exited = once(child, 'exit');
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      child.once('exit', () => reject(new Error('the child exited before it was ready')));
    });

    const publisher = await testBus(db, prefix, { service: 'crashy' });
    const eventId = await db.tx((tx) => publisher.bus.outbox.add(tx, 'kit.ping.v1', { n: 1 }));
    await publisher.bus.relayNow();
    const [code, signal] = await exited;
    expect({ code, signal }).toEqual({ code: null, signal: 'SIGKILL' });
    // It committed its effect and died holding an unacked message.
    expect(await count(db, 'effects')).toBe(1);
    expect(await count(db, "inbox WHERE consumer = 'crashy-effects' AND event_id = $1", [eventId])).toBe(1);

    // A replica (same durable consumer) gets the redelivery and must recognise it.
    let calls = 0;
    const next = await testBus(db, prefix, { service: 'crashy' });
    next.bus.subscribe(
      'effects',
      ['kit.ping.v1'],
      async () => {
        calls++;
      },
      { backoffMs: [100, 200] },
    );
    await next.bus.start();
    await waitFor(
      'the redelivery',
      async () => (await metricValue(next.metrics, 'events_consumed_total', { result: 'duplicate' })) === 1,
    );
    expect(calls).toBe(0);
    expect(await count(db, 'effects')).toBe(1);
    const nc = await connect({ servers: testEnv().natsUrl });
    const jsm = await jetstreamManager(nc);
    await waitFor(
      'the ack',
      async () => (await jsm.consumers.info(streamName(prefix), 'crashy-effects')).num_ack_pending === 0,
    );
    await nc.close();
  });
});
