import { z } from 'zod';
import { Address } from './address.ts';
import { Money } from './money.ts';

/**
 * The checkout saga's messages (ARCHITECTURE.md §6). `orders` orchestrates: it writes a
 * `*-requested` command to its outbox in the same transaction as the saga state, the owning
 * service applies it idempotently (keyed by the ids inside) and answers with an outcome event.
 * Every command may arrive more than once; every outcome may too.
 */
const uuid = z.uuid();
const sku = z.string().min(1).max(64);
const qty = z.number().int().positive().max(10_000);
const lines = z.array(z.object({ sku, qty })).min(1).max(200);
const reason = z.string().max(500);
const orderRef = { orderId: uuid };

export const checkoutEvents = {
  // orders → inventory
  'inventory.reserve-requested.v1': z.object({
    ...orderRef,
    reservationId: uuid,
    lines,
    ttlSeconds: z.number().int().min(30).max(86_400),
    pickupLocation: z.string().max(64).optional(),
  }),
  'inventory.commit-requested.v1': z.object({ ...orderRef, reservationId: uuid }),
  'inventory.release-requested.v1': z.object({ ...orderRef, reservationId: uuid, reason }),
  // inventory → orders
  'inventory.reserved.v1': z.object({
    ...orderRef,
    reservationId: uuid,
    expiresAt: z.iso.datetime(),
    allocations: z.array(z.object({ sku, location: z.string().max(64), qty })).max(1000),
  }),
  'inventory.reservation-failed.v1': z.object({
    ...orderRef,
    reservationId: uuid,
    reason,
    unavailable: z.array(z.object({ sku, requested: qty, available: z.number().int().min(0) })).max(200),
  }),
  'inventory.committed.v1': z.object({ ...orderRef, reservationId: uuid }),
  'inventory.released.v1': z.object({ ...orderRef, reservationId: uuid }),

  // orders → payments
  'payment.authorize-requested.v1': z.object({
    ...orderRef,
    paymentId: uuid,
    amount: Money,
    customerId: z.string().max(64).nullable(),
    /** A token from the provider's browser SDK (Stripe PaymentMethod, or the sandbox's own). */
    paymentMethod: z.string().min(1).max(255),
    returnUrl: z.url().max(2000),
  }),
  'payment.capture-requested.v1': z.object({ ...orderRef, paymentId: uuid, amount: Money }),
  'payment.void-requested.v1': z.object({ ...orderRef, paymentId: uuid, reason }),
  'payment.refund-requested.v1': z.object({ ...orderRef, paymentId: uuid, refundId: uuid, amount: Money, reason }),
  // payments → orders
  'payment.authorized.v1': z.object({ ...orderRef, paymentId: uuid, amount: Money }),
  'payment.action-required.v1': z.object({
    ...orderRef,
    paymentId: uuid,
    /** Where the customer completes 3-D Secure; they come back to the order's returnUrl. */
    actionUrl: z.url().max(2000),
  }),
  'payment.declined.v1': z.object({
    ...orderRef,
    paymentId: uuid,
    code: z.string().max(64).describe('card_declined, insufficient_funds, authentication_failed, expired, …'),
    message: z.string().max(500).describe('safe to show the customer'),
  }),
  'payment.captured.v1': z.object({ ...orderRef, paymentId: uuid, amount: Money }),
  'payment.voided.v1': z.object({ ...orderRef, paymentId: uuid }),
  'payment.refunded.v1': z.object({ ...orderRef, paymentId: uuid, refundId: uuid, amount: Money }),
  'payment.refund-failed.v1': z.object({ ...orderRef, paymentId: uuid, refundId: uuid, reason }),

  // orders → fulfillment
  'shipment.create-requested.v1': z.object({
    ...orderRef,
    /** The ordering customer's account (null for a guest), so fulfillment can show them only their own shipments. */
    customerId: z.string().max(64).nullable().optional(),
    address: Address,
    method: z.string().max(32).describe('standard, express, pickup'),
    /** One parcel per location the stock came from. */
    parcels: z
      .array(z.object({ location: z.string().max(64), lines }))
      .min(1)
      .max(50),
  }),
  'shipment.cancel-requested.v1': z.object({ ...orderRef, reason }),
  'shipment.return-requested.v1': z.object({
    ...orderRef,
    returnId: uuid,
    from: Address,
    toLocation: z.string().max(64),
    lines,
  }),
  // fulfillment → orders
  'shipment.created.v1': z.object({
    ...orderRef,
    shipments: z
      .array(
        z.object({
          shipmentId: uuid,
          location: z.string().max(64),
          carrier: z.string().max(64),
          trackingNumber: z.string().max(100),
        }),
      )
      .min(1)
      .max(50),
  }),
  'shipment.creation-failed.v1': z.object({ ...orderRef, reason }),
  'shipment.cancelled.v1': z.object({ ...orderRef }),
  'shipment.status-changed.v1': z.object({
    ...orderRef,
    shipmentId: uuid,
    status: z.enum([
      'label_created',
      'picked_up',
      'in_transit',
      'out_for_delivery',
      'delivered',
      'exception',
      'cancelled',
    ]),
    at: z.iso.datetime(),
    detail: z.string().max(500).optional(),
  }),
  'shipment.delivered.v1': z.object({ ...orderRef, shipmentId: uuid, at: z.iso.datetime() }),
  'shipment.return-label-created.v1': z.object({
    ...orderRef,
    returnId: uuid,
    carrier: z.string().max(64),
    trackingNumber: z.string().max(100),
    labelUrl: z.string().max(2000),
  }),
  'shipment.return-received.v1': z.object({ ...orderRef, returnId: uuid, at: z.iso.datetime() }),
} as const satisfies Record<string, z.ZodType>;
