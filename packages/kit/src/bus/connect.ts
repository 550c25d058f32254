import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { Subject } from '@storefront/contracts';
import type { Logger } from 'pino';
import { type Db, withTimeout } from '../db/pool.ts';
import type { Faults } from '../faults.ts';
import type { Metrics } from '../metrics.ts';
import { createBusMetrics } from './bus-metrics.ts';
import { type ConsumerLoop, startConsumerLoop } from './consumer-loop.ts';
import { type DeadLetterListener, listenForDeadLetters } from './dead-letters.ts';
import { handleMessage } from './handle-message.ts';
import { type Listener, listen } from './listen.ts';
import { checkName, checkPrefix, outboxChannel, streamName } from './names.ts';
import { createOutbox } from './outbox.ts';
import { ensureConsumer, ensureStream } from './provision.ts';
import { createRelay } from './relay.ts';
import { makeSubscription, type Subscription } from './subscription.ts';
import type { Bus, EventHandler } from './types.ts';

export interface BusOptions {
  readonly service: string;
  readonly natsUrl: string;
  /** EVENT_PREFIX: subjects are `<prefix>.<subject>`, the stream `<PREFIX>_EVENTS`. */
  readonly prefix: string;
  readonly db: Db;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly faults?: Faults;
  /** Relay poll interval when no NOTIFY arrives (default 1000 ms). */
  readonly relayPollMs?: number;
  /** Stream replicas to enforce (3 in production clusters); unset leaves an existing stream as it is (new: 1). */
  readonly streamReplicas?: number;
  /** How long close() waits for handlers in flight (default 10 s). */
  readonly shutdownGraceMs?: number;
}

/** Connects to NATS and returns the service's bus; call subscribe() for each consumer, then start(). */
export async function connectBus(o: BusOptions): Promise<Bus> {
  checkPrefix(o.prefix);
  checkName('service', o.service);
  const log = o.log.child({ component: 'bus' });
  // Reconnect forever: the outbox holds events while NATS is away, nothing is lost by waiting.
  const nc = await connect({
    servers: o.natsUrl,
    name: o.service,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1_000,
  });
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  const stream = streamName(o.prefix);
  const subs: Subscription[] = [];
  const metrics = createBusMetrics(o.metrics, o.db, () => subs.map((s) => s.durable));
  let connected = true;
  let provisioned: Promise<unknown> | undefined;
  const provision = () => {
    provisioned ??= ensureStream(jsm, o.prefix, o.streamReplicas).catch((err) => {
      provisioned = undefined;
      throw err;
    });
    return provisioned;
  };
  const relay = createRelay({
    db: o.db,
    js,
    prefix: o.prefix,
    log,
    metrics,
    pollMs: o.relayPollMs ?? 1_000,
    connected: () => connected,
    // The broker may have come back without its storage; provisioning again is one cheap request.
    // Not while disconnected: the request would hang until its timeout, and the consumers wait on it.
    onFailure: () => {
      if (!connected) return;
      provisioned = undefined;
      void provision().catch(() => {});
    },
  });
  const loops: ConsumerLoop[] = [];
  let listener: Listener | undefined;
  let deadLetters: DeadLetterListener | undefined;
  let started = false;
  let closed = false;

  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect') connected = false;
      if (s.type === 'reconnect') {
        connected = true;
        provisioned = undefined;
        log.info('NATS connection is back');
        relay.wake({ retry: true });
        for (const l of loops) l.restart('reconnected');
      }
    }
  })().catch(() => {});

  const deps = { db: o.db, prefix: o.prefix, log, metrics, faults: o.faults };
  return {
    outbox: createOutbox(o.db.schema),
    subscribe<S extends Subject>(name: string, subjects: readonly S[], handler: EventHandler<S>, opts = {}) {
      if (started) throw new Error('bus.subscribe must be called before start()');
      const sub = makeSubscription(o.service, o.prefix, name, subjects, handler as EventHandler<Subject>, opts);
      if (subs.some((s) => s.durable === sub.durable)) throw new Error(`consumer ${sub.durable} is registered twice`);
      subs.push(sub);
    },
    async start() {
      if (started) return;
      started = true;
      await provision();
      for (const sub of subs) await ensureConsumer(jsm, stream, sub);
      deadLetters = listenForDeadLetters(
        { nc, jsm, db: o.db, stream, prefix: o.prefix, log },
        subs.map((s) => s.durable),
      );
      for (const sub of subs) {
        const ensure = async () => {
          await provision();
          await ensureConsumer(jsm, stream, sub);
        };
        loops.push(
          startConsumerLoop(
            { js, stream, log, ensure, handle: (m) => handleMessage(deps, sub, m), connected: () => connected },
            sub,
          ),
        );
      }
      relay.start();
      listener = listen(
        { ...o.db.pool.options, application_name: `${o.service}-outbox-listen` },
        outboxChannel(o.db.schema),
        log,
        () => relay.wake(),
      );
    },
    async relayNow() {
      await provision();
      return relay.drain();
    },
    async ping() {
      await nc.rtt();
    },
    async close() {
      if (closed) return;
      closed = true;
      const grace = o.shutdownGraceMs ?? 10_000;
      await Promise.all(loops.map((l) => l.stop(grace)));
      await relay.stop();
      await listener?.close();
      await deadLetters?.stop();
      // drain() flushes the last acks; while disconnected it could wait for a reconnect forever.
      await withTimeout(nc.drain(), 5_000, 'NATS drain').catch(() => nc.close());
    },
  };
}
