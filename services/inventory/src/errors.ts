import { DomainError, ServiceUnavailable } from '@storefront/kit';

/** Inventory's refusals, each a problem+json a client can act on (the kit maps them in one place). */

export interface Shortfall {
  readonly sku: string;
  readonly requested: number;
  readonly available: number;
}

/** Not enough available stock for a reservation; `shortfalls` names every line that cannot be covered. */
export class OutOfStock extends DomainError {
  override readonly status = 409;
  override readonly code = 'out_of_stock';
  override readonly title = 'Out of stock';
  constructor(shortfalls: readonly Shortfall[], where?: string) {
    super(
      `not enough stock${where ? ` at ${where}` : ''} for ${shortfalls.map((s) => `${s.sku} (${s.available} of ${s.requested})`).join(', ')}`,
      { extensions: { shortfalls } },
    );
  }
}

/** The same client id was used for a different request. */
export class IdempotencyMismatch extends DomainError {
  override readonly status = 409;
  override readonly code = 'idempotency_mismatch';
  override readonly title = 'Idempotency key reused';
}

/** A reservation cannot move from its current status to the one asked for (e.g. commit after release). */
export class InvalidTransition extends DomainError {
  override readonly status = 409;
  override readonly code = 'invalid_transition';
  override readonly title = 'Invalid transition';
}

/** A stock change that would leave fewer units than zero, or fewer on hand than are reserved. */
export class InsufficientStock extends DomainError {
  override readonly status = 409;
  override readonly code = 'insufficient_stock';
  override readonly title = 'Insufficient stock';
}

/** A request named a location that does not exist or cannot do what was asked (pickup). */
export class UnknownLocation extends DomainError {
  override readonly status = 422;
  override readonly code = 'unknown_location';
  override readonly title = 'Unknown location';
}

/**
 * Database refusals a client can act on. The stock CHECKs are the last line of defence: a write
 * that slipped past the domain rules (a transfer that would overflow the destination's bound, say)
 * is a 409, not a 500. A deadlock or serialization failure (not expected: every writer locks rows
 * in one order) or a statement timeout under extreme load is a 503 to retry, which is safe since
 * every operation is idempotent by its id.
 */
export function translatePgError(err: unknown): never {
  const e = err as { code?: string; constraint?: string };
  if (e?.code === '23514' && e.constraint?.startsWith('stock_')) {
    throw new InsufficientStock(
      'that change would break a stock limit (negative, over-reserved, or over 1 000 000 000)',
      {
        extensions: { constraint: e.constraint },
      },
    );
  }
  if (e?.code === '40P01' || e?.code === '40001' || e?.code === '57014') {
    throw new ServiceUnavailable('the change collided with others or timed out; retry it', {
      extensions: { retryAfter: 1 },
    });
  }
  throw err;
}
