import type { Bus, SubscribeOptions } from '@storefront/kit';
import { refundRequested } from './command-refund.ts';
import { authorizeRequested, captureRequested, voidRequested } from './commands.ts';
import type { CommandDeps } from './effects.ts';

/**
 * What payments consumes and publishes. Consumes the saga's commands (inbox-deduplicated by the
 * bus): payment.authorize|capture|void|refund-requested.v1. Publishes, through the outbox in the
 * transaction of the change: payment.authorized|action-required|declined|captured|voided|refunded|
 * refund-failed.v1.
 *
 * One consumer per command, so a slow provider call for one kind does not hold up the others.
 * Each handler can spend a provider timeout times three (the SDK's own retries) on a call; the bus
 * keeps the message ours meanwhile (`working()`), and retries after a failure with its backoff.
 */
export function subscribeCommands(bus: Bus, deps: CommandDeps, opts: SubscribeOptions = {}): void {
  const o: SubscribeOptions = { maxDeliver: 8, backoffMs: [1_000, 5_000, 15_000, 30_000, 60_000], ...opts };
  bus.subscribe('authorize', ['payment.authorize-requested.v1'], (e, ctx) => authorizeRequested(cmd(ctx), ctx.tx, e), {
    concurrency: 4,
    ...o,
  });
  bus.subscribe('capture', ['payment.capture-requested.v1'], (e, ctx) => captureRequested(cmd(ctx), ctx.tx, e), o);
  bus.subscribe('void', ['payment.void-requested.v1'], (e, ctx) => voidRequested(cmd(ctx), ctx.tx, e), o);
  bus.subscribe('refund', ['payment.refund-requested.v1'], (e, ctx) => refundRequested(cmd(ctx), ctx.tx, e), o);

  // The delivery's logger carries the event id and attempt, so provider logs line up with it.
  function cmd(ctx: { log: CommandDeps['log'] }): CommandDeps {
    return { ...deps, log: ctx.log };
  }
}
