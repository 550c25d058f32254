import { z } from 'zod';
import { checkoutEvents } from './checkout-events.ts';
import { Currency } from './money.ts';
import { orderEvents } from './order-events.ts';

/**
 * The event catalog: every subject `<domain>.<event>.v<N>` with the zod schema of its payload.
 * Publishing goes through `EventOf<S>` so a wrong payload fails to compile; consumers parse with
 * the same schema so a wrong payload on the wire goes to the dead-letter store.
 * A breaking change is a new version (a new subject), never an edit of an old schema.
 */
const productRef = {
  productId: z.uuid(),
  slug: z.string().max(200),
};

/** A stock row: one SKU at one inventory location (warehouse or store), by the location's code. */
const stockRow = {
  sku: z.string().min(1).max(64),
  location: z.string().min(1).max(32),
};

/** What identity sends when a link must reach a person's inbox. */
const oneTimeLink = {
  accountId: z.uuid(),
  email: z.email().max(254),
  token: z.string().min(16).max(200),
  /** The page in the web app that takes the token, with the token in its query. */
  link: z.url().max(2000),
  expiresAt: z.iso.datetime({ offset: true }),
};

const cartRef = {
  cartId: z.uuid(),
  customerId: z.string().max(64).nullable(),
};

const promotionUse = {
  promotionId: z.uuid(),
  code: z.string().max(64).nullable(),
  orderId: z.uuid(),
  customerId: z.string().max(64).nullable(),
};

export const eventCatalog = {
  'product.created.v1': z.object({ ...productRef, name: z.string().max(300) }),
  'product.updated.v1': z.object({
    ...productRef,
    name: z.string().max(300),
    changed: z.array(z.string().max(64)).max(64),
    /** Set when the slug changed, so caches keyed by slug can drop the old one. */
    previousSlug: z.string().max(200).optional(),
  }),
  'product.deleted.v1': z.object({ ...productRef }),
  'product.price-changed.v1': z.object({
    ...productRef,
    sku: z.string().max(64),
    currency: Currency,
    amount: z.number().int().nonnegative(),
    previousAmount: z.number().int().nonnegative().nullable(),
  }),
  'category.changed.v1': z.object({ categoryId: z.uuid(), slug: z.string().max(200) }),
  /** A brand was created, renamed or removed; products showing it change with it. */
  'brand.changed.v1': z.object({ brandId: z.uuid(), slug: z.string().max(200) }),
  'review.added.v1': z.object({
    ...productRef,
    reviewId: z.uuid(),
    rating: z.number().int().min(1).max(5),
  }),
  /**
   * A one-time link for the notifications service to email. The raw token travels here (and only
   * here): identity stores its hash. It is single-use and expires at `expiresAt`.
   */
  'identity.email-verification-requested.v1': z.object({ ...oneTimeLink }),
  'identity.password-reset-requested.v1': z.object({ ...oneTimeLink }),
  /**
   * A staff action (or security event) another service wants in the audit log that identity keeps.
   * Emit it in the same transaction as the action, through the outbox.
   */
  'audit.recorded.v1': z.object({
    service: z.string().min(1).max(64),
    action: z.string().min(1).max(100),
    actor: z.object({
      id: z.string().max(64).nullable(),
      type: z.enum(['account', 'system', 'anonymous']),
    }),
    target: z.object({ type: z.string().max(64), id: z.string().max(200) }).nullable(),
    outcome: z.enum(['success', 'failure']),
    occurredAt: z.iso.datetime({ offset: true }),
    requestId: z.string().max(128).optional(),
    ip: z.string().max(64).optional(),
    details: z.record(z.string().max(64), z.unknown()).optional(),
  }),
  /**
   * Cart activity for analytics (funnel, abandonment, top products). `quantity` is the change
   * (always positive), `lineQuantity` the line's quantity after it; a quantity change emits
   * line-added or line-removed for the difference. `customerId` is null for a guest cart.
   */
  'cart.line-added.v1': z.object({
    ...cartRef,
    sku: z.string().max(64),
    productId: z.uuid(),
    quantity: z.number().int().positive(),
    lineQuantity: z.number().int().positive(),
    unitPrice: z.number().int().nonnegative(),
    currency: Currency,
  }),
  'cart.line-removed.v1': z.object({
    ...cartRef,
    sku: z.string().max(64),
    productId: z.uuid(),
    quantity: z.number().int().positive(),
    lineQuantity: z.number().int().nonnegative(),
    currency: Currency,
  }),
  /** A guest cart was folded into a customer's cart at sign-in; the guest cart is closed. */
  'cart.merged.v1': z.object({ ...cartRef, customerId: z.string().max(64), guestCartId: z.uuid() }),
  /** A promotion use was counted for an order (at checkout), or given back (order cancelled). */
  'promotion.redeemed.v1': z.object({ ...promotionUse }),
  'promotion.released.v1': z.object({ ...promotionUse }),
  /**
   * Inventory: one stock row (a SKU at a location) after a change in the same transaction.
   * `reason` says what moved it (reservation, commit, release, expiry, adjustment, transfer, pos).
   */
  'stock.changed.v1': z.object({
    ...stockRow,
    onHand: z.number().int().nonnegative(),
    reserved: z.number().int().nonnegative(),
    available: z.number().int().nonnegative(),
    reason: z.string().max(32).optional(),
    /**
     * Grows with every change of this row: the database clock in microseconds, read while the
     * transaction holds the row's lock (so a later change always has a higher one). A consumer
     * keeps the state with the highest version it has seen, whatever order events arrive in.
     */
    version: z.number().int().nonnegative().optional(),
  }),
  /** A location's available stock of a SKU fell to or below its low-stock threshold (sent on the crossing). */
  'stock.low.v1': z.object({
    ...stockRow,
    available: z.number().int().nonnegative(),
    threshold: z.number().int().nonnegative(),
  }),
  /** The SKU's available stock over every location reached 0. */
  'stock.out.v1': z.object({ sku: stockRow.sku }),
  /** The SKU's available stock over every location went from 0 to more than 0. */
  'stock.back-in-stock.v1': z.object({ sku: stockRow.sku, available: z.number().int().positive() }),
  /** Used by the kit's own tests and by the bench; carries nothing of business value. */
  ...checkoutEvents,
  ...orderEvents,
  'kit.ping.v1': z.object({ n: z.number().int(), note: z.string().max(1000).optional() }),
} as const satisfies Record<string, z.ZodType>;

export type EventCatalog = typeof eventCatalog;
export type Subject = keyof EventCatalog;
export type EventPayload<S extends Subject> = z.infer<EventCatalog[S]>;

export const subjects = Object.keys(eventCatalog) as Subject[];

export function isSubject(s: string): s is Subject {
  return Object.hasOwn(eventCatalog, s);
}

/** What travels on the wire: the payload plus the envelope fields every consumer may rely on. */
export interface EventEnvelope<S extends Subject = Subject> {
  readonly id: string;
  readonly subject: S;
  readonly occurredAt: string;
  readonly payload: EventPayload<S>;
}

/** The domain of a subject: `product.created.v1` → `product`. */
export function domainOf(subject: string): string {
  return subject.split('.', 1)[0] ?? subject;
}
