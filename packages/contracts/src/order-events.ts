import { z } from 'zod';
import { Money } from './money.ts';

/**
 * What orders announces about an order's life, and the returns flow's extra commands.
 * `order.*` events are facts for notifications, CRM and analytics; they carry enough to show a
 * message without calling orders back. The returns commands follow the saga's pattern: orders
 * writes the command to its outbox, the owner applies it idempotently (keyed by the ids inside)
 * and answers with an outcome event.
 */
const uuid = z.uuid();
const customer = { customerId: z.string().max(64).nullable(), email: z.email().max(254).nullable() };
const orderRef = { orderId: uuid, orderNumber: z.string().max(32) };
const sku = z.string().min(1).max(64);
const qty = z.number().int().positive().max(10_000);

export const orderEvents = {
  'order.placed.v1': z.object({
    ...orderRef,
    ...customer,
    /** The cart the order was placed from (the cart closes it as `ordered`); absent in events from before the field. */
    cartId: uuid.optional(),
    total: Money,
    lines: z.array(z.object({ sku, qty, unitPrice: z.number().int().nonnegative() })).max(200),
  }),
  'order.confirmed.v1': z.object({ ...orderRef, ...customer, total: Money }),
  'order.cancelled.v1': z.object({ ...orderRef, ...customer, reason: z.string().max(500) }),
  'order.shipped.v1': z.object({ ...orderRef, ...customer, trackingNumbers: z.array(z.string().max(100)).max(50) }),
  'order.delivered.v1': z.object({ ...orderRef, ...customer, at: z.iso.datetime() }),
  'order.refunded.v1': z.object({
    ...orderRef,
    ...customer,
    refundId: uuid,
    amount: Money,
    returnId: uuid.nullable(),
    reason: z.string().max(500),
  }),

  // orders → inventory: put returned units back on hand at a location (an adjustment, reason 'return').
  'inventory.restock-requested.v1': z.object({
    orderId: uuid,
    returnId: uuid,
    location: z.string().min(1).max(64),
    lines: z.array(z.object({ sku, qty })).min(1).max(200),
  }),
  // inventory → orders
  'inventory.restocked.v1': z.object({ orderId: uuid, returnId: uuid, location: z.string().max(64) }),
  /** A commit the reservation can no longer honour (released or expired): orders compensates. */
  'inventory.commit-failed.v1': z.object({ orderId: uuid, reservationId: uuid, reason: z.string().max(500) }),
} as const satisfies Record<string, z.ZodType>;
