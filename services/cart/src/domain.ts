import { CartTooLarge, QuantityLimit, TooManyLines } from './errors.ts';
import { MAX_CART_AMOUNT } from './money.ts';

/** Carts and the pure rules over them. Time comes in as an argument. */

/**
 * `open` takes changes; `merged` went into a customer's cart on sign-in; `ordered` was checked out
 * (order.placed.v1) and opens again if that order is cancelled (see order-events.ts).
 */
export type CartStatus = 'open' | 'merged' | 'ordered';

export interface CartLine {
  readonly sku: string;
  readonly productId: string;
  readonly quantity: number;
  /** The unit price the shopper saw when adding (or last acknowledged); reads flag a different current price. */
  readonly unitPrice: number;
  readonly addedAt: string;
}

/** A cart as stored (Postgres, and the Redis read cache). */
export interface StoredCart {
  readonly id: string;
  /** Set for a customer's cart; null for a guest cart. */
  readonly customerId: string | null;
  /** sha256 (hex) of a guest cart's secret; null for a customer's cart. */
  readonly tokenHash: string | null;
  readonly currency: string;
  readonly status: CartStatus;
  readonly mergedInto: string | null;
  /** The order that closed the cart as `ordered`; null otherwise (also in cache entries from before the field). */
  readonly orderId?: string | null;
  /** When that order was placed (the event's time). */
  readonly orderedAt?: string | null;
  readonly code: string | null;
  readonly shippingOption: string | null;
  readonly taxRegion: string | null;
  /** Bumped by every write; the read cache never replaces a newer version with an older one. */
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Oldest first. */
  readonly lines: readonly CartLine[];
}

export interface CartLimits {
  readonly maxLineQuantity: number;
  readonly maxLines: number;
}

/** The quantity a line may be set to, or the refusal. `lineCount` excludes this SKU's line. */
export function checkLine(
  sku: string,
  quantity: number,
  otherLines: readonly CartLine[],
  unitPrice: number,
  limits: CartLimits,
): void {
  if (quantity > limits.maxLineQuantity) throw new QuantityLimit(sku, limits.maxLineQuantity);
  if (otherLines.length + 1 > limits.maxLines) throw new TooManyLines(limits.maxLines);
  const others = otherLines.reduce((s, l) => s + l.unitPrice * l.quantity, 0);
  if (others + unitPrice * quantity > MAX_CART_AMOUNT) throw new CartTooLarge();
}

export interface MergeResult {
  readonly lines: CartLine[];
  /** SKUs whose summed quantity was cut to the per-line limit. */
  readonly capped: string[];
  /** SKUs left out because the cart already had the most lines it may. */
  readonly dropped: string[];
}

/**
 * Folds a guest cart's lines into a customer's: quantities of the same SKU add up, capped at the
 * per-line limit; new SKUs join in the guest cart's order until the line limit. A line already
 * in the customer's cart keeps the price seen there (the older one).
 */
export function mergeLines(target: readonly CartLine[], source: readonly CartLine[], limits: CartLimits): MergeResult {
  const lines = target.map((l) => ({ ...l }));
  const capped: string[] = [];
  const dropped: string[] = [];
  for (const s of source) {
    const at = lines.findIndex((l) => l.sku === s.sku);
    const existing = lines[at];
    if (existing) {
      const sum = existing.quantity + s.quantity;
      if (sum > limits.maxLineQuantity) capped.push(s.sku);
      lines[at] = { ...existing, quantity: Math.min(sum, limits.maxLineQuantity) };
    } else if (lines.length >= limits.maxLines) {
      dropped.push(s.sku);
    } else {
      if (s.quantity > limits.maxLineQuantity) capped.push(s.sku);
      lines.push({ ...s, quantity: Math.min(s.quantity, limits.maxLineQuantity) });
    }
  }
  return { lines, capped, dropped };
}
