import type { JetStreamManager, StoredMsg } from '@nats-io/jetstream';
import type { NatsConnection, Subscription as NatsSub } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import type { Db } from '../db/pool.ts';
import { quoteIdent } from '../db/pool.ts';
import { idOf } from './envelope.ts';
import { catalogSubject } from './names.ts';
import { headersToRecord } from './trace-headers.ts';

export type DeadReason = 'max_deliveries' | 'terminated';

export interface DeadLetterListener {
  /** Unsubscribes and waits for the dead letters being written. */
  stop(): Promise<void>;
}

export interface DeadLetterDeps {
  readonly nc: NatsConnection;
  readonly jsm: JetStreamManager;
  readonly db: Db;
  readonly stream: string;
  readonly prefix: string;
  readonly log: Logger;
}

interface Advisory {
  readonly stream_seq: number;
  readonly deliveries?: number;
}

/**
 * JetStream does not move a message that exhausted max_deliver or was terminated; it only
 * publishes an advisory. We listen for those of our own consumers, fetch the message by stream
 * sequence and store it with the last recorded error. Every replica hears every advisory, so the
 * insert is idempotent on (consumer, stream_seq). Advisories are core NATS (fire and forget): one
 * sent while no replica is up is missed, and its delivery_failures row stays behind as the trace.
 */
export function listenForDeadLetters(d: DeadLetterDeps, consumers: readonly string[]): DeadLetterListener {
  const pending = new Set<Promise<void>>();
  const subs: NatsSub[] = [];
  const kinds: [string, DeadReason][] = [
    ['MAX_DELIVERIES', 'max_deliveries'],
    ['MSG_TERMINATED', 'terminated'],
  ];
  for (const consumer of consumers) {
    for (const [kind, reason] of kinds) {
      const subject = `$JS.EVENT.ADVISORY.CONSUMER.${kind}.${d.stream}.${consumer}`;
      subs.push(
        d.nc.subscribe(subject, {
          callback: (err, msg) => {
            if (err) return;
            let advisory: Advisory;
            try {
              advisory = msg.json<Advisory>();
            } catch {
              return;
            }
            const p = record(d, consumer, reason, advisory)
              .catch((e) =>
                d.log.error(
                  { err: (e as Error).message, consumer },
                  'could not store a dead letter; it stays in the stream',
                ),
              )
              .finally(() => pending.delete(p));
            pending.add(p);
          },
        }),
      );
    }
  }
  return {
    async stop() {
      for (const s of subs) s.unsubscribe();
      await Promise.allSettled([...pending]);
    },
  };
}

async function record(d: DeadLetterDeps, consumer: string, reason: DeadReason, adv: Advisory): Promise<void> {
  const seq = adv.stream_seq;
  const stored: StoredMsg | null = await d.jsm.streams.getMessage(d.stream, { seq }).catch(() => null);
  const body = stored ? new TextDecoder().decode(stored.data) : null;
  const headers = stored ? headersToRecord(stored.header) : {};
  const schema = quoteIdent(d.db.schema);
  await d.db.tx(async (tx) => {
    const failure = (
      await tx.query<{ subject: string; event_id: string | null; attempts: number; last_error: string }>(
        `SELECT subject, event_id, attempts, last_error FROM ${schema}.delivery_failures
          WHERE consumer = $1 AND stream_seq = $2`,
        [consumer, seq],
      )
    ).rows[0];
    const subject = stored ? catalogSubject(d.prefix, stored.subject) : (failure?.subject ?? 'unknown');
    const error =
      failure?.last_error ??
      (reason === 'terminated' ? 'terminated by the consumer' : 'max deliveries reached without a recorded error');
    const inserted = await tx.query(
      `INSERT INTO ${schema}.dead_letters
         (consumer, stream_seq, event_id, subject, payload, headers, error, attempts, reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (consumer, stream_seq) DO NOTHING`,
      [
        consumer,
        seq,
        eventIdOf(body, headers) ?? failure?.event_id ?? null,
        subject,
        body,
        JSON.stringify(headers),
        stored ? error : `${error} (the message had already left the stream)`,
        adv.deliveries ?? failure?.attempts ?? 0,
        reason,
      ],
    );
    await tx.query(`DELETE FROM ${schema}.delivery_failures WHERE consumer = $1 AND stream_seq = $2`, [consumer, seq]);
    if (inserted.rowCount) {
      d.log.error({ consumer, seq, subject, reason, error }, 'event dead-lettered');
    }
  });
}

function eventIdOf(body: string | null, headers: Record<string, string>): string | undefined {
  if (body) {
    try {
      const id = idOf(JSON.parse(body));
      if (id) return id;
    } catch {
      // Poison need not be JSON; fall back to the publish id.
    }
  }
  // Redriven messages carry `<eventId>:redrive:<n>` as their msg id.
  return headers['nats-msg-id']?.split(':')[0];
}
