import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { type EventEnvelope, eventCatalog, type Subject } from '@storefront/contracts';
import type { Logger } from 'pino';

export type BroadcastHandler<S extends Subject> = (event: EventEnvelope<S>) => void | Promise<void>;

export interface Broadcast {
  /**
   * Every replica receives every matching event (a core NATS subscription on the stream's
   * subjects): at most once, no inbox, no retries. For cache invalidation only — never for state
   * changes, which go through durable consumers. Callers keep a TTL as a safety net for a missed
   * message during a reconnect.
   */
  on<S extends Subject>(subjects: readonly S[], handler: BroadcastHandler<S>): void;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export async function connectBroadcast(opts: {
  natsUrl: string;
  prefix: string;
  log: Logger;
  name?: string;
}): Promise<Broadcast> {
  const nc: NatsConnection = await connect({
    servers: opts.natsUrl,
    name: opts.name ?? 'broadcast',
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
  });
  const subs: Subscription[] = [];
  const decoder = new TextDecoder();
  return {
    on(subjects, handler) {
      for (const subject of subjects) {
        const schema = eventCatalog[subject];
        const sub = nc.subscribe(`${opts.prefix}.${subject}`, {
          callback: (err, msg) => {
            if (err) return opts.log.warn({ err, subject }, 'broadcast subscription error');
            try {
              const raw = JSON.parse(decoder.decode(msg.data)) as EventEnvelope<typeof subject>;
              const payload = schema.parse(raw.payload);
              Promise.resolve(handler({ ...raw, payload } as EventEnvelope<typeof subject>)).catch((e) =>
                opts.log.warn({ err: e, subject }, 'broadcast handler failed'),
              );
            } catch (e) {
              opts.log.warn({ err: e, subject }, 'unparseable broadcast event ignored');
            }
          },
        });
        subs.push(sub);
      }
    },
    async ping() {
      await nc.rtt();
    },
    async close() {
      for (const s of subs) s.unsubscribe();
      await nc.drain().catch(() => {});
    },
  };
}
