import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { context, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { describe, expect, it } from 'vitest';
import { testEnv, testEventPrefix } from '../testing/index.ts';
import { streamName } from './names.ts';
import { busSuite, count, metricValue, streamBodies, type TestDb, testBus, waitFor } from './test-support.ts';

const fast = { backoffMs: [100, 200], maxDeliver: 5 };

describe('consumers', () => {
  let db: TestDb;
  busSuite((migrated) => {
    db = migrated;
  });

  it('applies an event delivered five times exactly once', async () => {
    const prefix = testEventPrefix();
    const { bus, metrics } = await testBus(db, prefix);
    let calls = 0;
    bus.subscribe(
      'fivefold',
      ['kit.ping.v1'],
      async (event, ctx) => {
        calls++;
        await ctx.tx.query('INSERT INTO effects (event_id, consumer, n) VALUES ($1, $2, $3)', [
          event.id,
          'fivefold',
          event.payload.n,
        ]);
      },
      { ...fast, concurrency: 4 },
    );
    const id = await db.tx((tx) => bus.outbox.add(tx, 'kit.ping.v1', { n: 5 }));
    await bus.relayNow();
    // Four more copies of the same envelope under other msg ids (as a redrive or a lost
    // dedupe window would produce), so the stream holds five deliveries of one event.
    const [body] = await streamBodies(prefix);
    const nc = await connect({ servers: testEnv().natsUrl });
    for (let i = 1; i < 5; i++) {
      await jetstream(nc).publish(`${prefix}.kit.ping.v1`, JSON.stringify(body), { msgID: `${id}:copy:${i}` });
    }
    await nc.close();
    await bus.start();
    const consumed = () => metricValue(metrics, 'events_consumed_total', { consumer: 'svc-fivefold' });
    await waitFor('five deliveries', async () => (await consumed()) >= 5);
    expect(await count(db, "effects WHERE consumer = 'fivefold'")).toBe(1);
    expect(calls).toBe(1);
    // At least the four copies; a redelivery after an ack timeout would be one more, equally harmless.
    expect(await metricValue(metrics, 'events_consumed_total', { result: 'duplicate' })).toBeGreaterThanOrEqual(4);
    expect(await count(db, "inbox WHERE consumer = 'svc-fivefold'")).toBe(1);
    await bus.close();
  });

  it('retries a failing handler with backoff and forgets the failure once it succeeds', async () => {
    const prefix = testEventPrefix();
    const { bus, metrics } = await testBus(db, prefix);
    const attempts: number[] = [];
    bus.subscribe(
      'flaky',
      ['kit.ping.v1'],
      async (event, ctx) => {
        attempts.push(ctx.attempt);
        await ctx.tx.query('INSERT INTO effects (event_id, consumer) VALUES ($1, $2)', [event.id, 'flaky']);
        if (ctx.attempt < 3) throw new Error(`not yet (${ctx.attempt})`);
      },
      fast,
    );
    await bus.start();
    await db.tx((tx) => bus.outbox.add(tx, 'kit.ping.v1', { n: 1 }));
    await waitFor('success', async () => (await metricValue(metrics, 'events_consumed_total', { result: 'ok' })) === 1);
    expect(attempts).toEqual([1, 2, 3]);
    // The rolled-back attempts left nothing behind.
    expect(await count(db, "effects WHERE consumer = 'flaky'")).toBe(1);
    expect(await count(db, "delivery_failures WHERE consumer = 'svc-flaky'")).toBe(0);
    expect(await metricValue(metrics, 'events_consumed_total', { result: 'error' })).toBe(2);
    await bus.close();
  });

  it('keeps a handler slower than the ack wait to itself, and lets it finish and ack on close()', async () => {
    const prefix = testEventPrefix();
    const { bus, metrics } = await testBus(db, prefix);
    let started = false;
    bus.subscribe(
      'slow',
      ['kit.ping.v1'],
      async (event, ctx) => {
        started = true;
        // Four ack waits (the first backoff entry, 100 ms): only working() keeps it from redelivery.
        await new Promise((r) => setTimeout(r, 400));
        await ctx.tx.query('INSERT INTO effects (event_id, consumer) VALUES ($1, $2)', [event.id, 'slow']);
      },
      fast,
    );
    await bus.start();
    await db.tx((tx) => bus.outbox.add(tx, 'kit.ping.v1', { n: 1 }));
    await waitFor('the handler to start', async () => started);
    await bus.close();
    expect(await count(db, "effects WHERE consumer = 'slow'")).toBe(1);
    expect(await metricValue(metrics, 'events_consumed_total', { result: 'ok' })).toBe(1);
    const nc = await connect({ servers: testEnv().natsUrl });
    const info = await (await jetstreamManager(nc)).consumers.info(streamName(prefix), 'svc-slow');
    await nc.close();
    expect({ pending: info.num_ack_pending, redelivered: info.num_redelivered }).toEqual({
      pending: 0,
      redelivered: 0,
    });
  });

  it('carries the trace context from the writing transaction to the handler', async () => {
    const manager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(manager);
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    try {
      const prefix = testEventPrefix();
      const { bus } = await testBus(db, prefix);
      let seen: string | undefined;
      bus.subscribe(
        'traced',
        ['kit.ping.v1'],
        async () => {
          seen = trace.getSpanContext(context.active())?.traceId;
        },
        fast,
      );
      await bus.start();
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const parent = trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId: '00f067aa0ba902b7', traceFlags: 1 });
      await context.with(parent, () => db.tx((tx) => bus.outbox.add(tx, 'kit.ping.v1', { n: 1 })));
      await waitFor('the handler', async () => seen);
      expect(seen).toBe(traceId);
      await bus.close();
    } finally {
      context.disable();
      propagation.disable();
    }
  });

  it('shares one consumer between subjects of different domains and acks the rest unprocessed', async () => {
    const prefix = testEventPrefix();
    const { bus, metrics } = await testBus(db, prefix);
    const got: string[] = [];
    bus.subscribe(
      'mixed',
      ['kit.ping.v1', 'category.changed.v1'],
      async (event) => {
        got.push(event.subject);
      },
      { ...fast, inbox: false },
    );
    await bus.start();
    const categoryId = '0190a6f4-9a3c-7cc0-8d1e-1f2a3b4c5d6e';
    await db.tx(async (tx) => {
      await bus.outbox.add(tx, 'kit.ping.v1', { n: 1 });
      await bus.outbox.add(tx, 'product.deleted.v1', { productId: categoryId, slug: 'gone' });
      await bus.outbox.add(tx, 'category.changed.v1', { categoryId, slug: 'shoes' });
    });
    await waitFor('three deliveries', async () => (await metricValue(metrics, 'events_consumed_total')) === 3);
    expect(got).toEqual(['kit.ping.v1', 'category.changed.v1']);
    expect(await metricValue(metrics, 'events_consumed_total', { result: 'skipped' })).toBe(1);
    // inbox: false means no transaction and no inbox row.
    expect(await count(db, "inbox WHERE consumer = 'svc-mixed'")).toBe(0);
    await bus.close();
  });
});
