import type { EventEnvelope, EventPayload, Subject } from '@storefront/contracts';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Queryable } from '../db/pool.ts';

/**
 * The event backbone's public surface (ARCHITECTURE.md §5). Services see only this; the NATS
 * client, stream names and tables stay inside packages/kit/src/bus.
 */
export interface Outbox {
  /**
   * Records an event in the caller's transaction. It is published by the relay after commit,
   * with the event id as `Nats-Msg-Id`; if the transaction rolls back, nothing is published.
   * Returns the event id.
   */
  add<S extends Subject>(tx: Queryable, subject: S, payload: EventPayload<S>, opts?: { id?: string }): Promise<string>;
}

export interface EventContext {
  /** The inbox transaction: the handler's writes commit together with the dedupe record. */
  readonly tx: pg.PoolClient;
  /** 1 on first delivery. */
  readonly attempt: number;
  readonly log: Logger;
}

export type EventHandler<S extends Subject> = (event: EventEnvelope<S>, ctx: EventContext) => Promise<void>;

export interface SubscribeOptions {
  /** Deliveries before the message is dead-lettered (default 5). */
  readonly maxDeliver?: number;
  /** Redelivery delays in ms (default [1000, 5000, 15000, 30000]); must be shorter than maxDeliver. */
  readonly backoffMs?: readonly number[];
  /** Handlers that only touch Redis or memory may skip the inbox transaction (default true = use inbox). */
  readonly inbox?: boolean;
  /** Messages this replica handles at once (default 1: in stream order). */
  readonly concurrency?: number;
  /** Unacked messages (in flight or waiting out a retry delay) before the server pauses delivery (default 256). */
  readonly maxAckPending?: number;
}

export interface Bus {
  readonly outbox: Outbox;
  /** Registers a durable consumer `<service>-<name>` for the given subjects; call before start(). */
  subscribe<S extends Subject>(
    name: string,
    subjects: readonly S[],
    handler: EventHandler<S>,
    opts?: SubscribeOptions,
  ): void;
  /** Provisions the stream, starts the relay, the consumers and the dead-letter listener. */
  start(): Promise<void>;
  /** Publishes whatever is pending in the outbox now; returns how many were sent. */
  relayNow(): Promise<number>;
  /** NATS round trip, for readiness. */
  ping(): Promise<void>;
  /** Stops fetching, lets in-flight handlers finish, stops the relay, closes the connection. */
  close(): Promise<void>;
}
