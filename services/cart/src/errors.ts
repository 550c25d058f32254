import { DomainError, NotFound } from '@storefront/kit';

/**
 * The cart's refusals. Each carries what a client needs to explain it (the SKU, the available
 * quantity, the limit, the reason a code does not apply) as problem+json extensions.
 */

export class CartNotFound extends NotFound {
  constructor() {
    // One answer for "does not exist", "not yours" and "wrong token": nothing to learn by probing.
    super('no such cart');
  }
}

export class OutOfStock extends DomainError {
  override readonly status = 409;
  override readonly code = 'out_of_stock';
  override readonly title = 'Out of stock';
  constructor(sku: string, requested: number, available: number) {
    super(available > 0 ? `only ${available} of ${sku} available, ${requested} requested` : `${sku} is out of stock`, {
      extensions: { sku, requested, available },
    });
  }
}

export class UnknownSku extends DomainError {
  override readonly status = 422;
  override readonly code = 'unknown_sku';
  override readonly title = 'Unknown SKU';
  constructor(sku: string) {
    super(`${sku} is not a product we sell`, { extensions: { sku } });
  }
}

export class NotSoldInCurrency extends DomainError {
  override readonly status = 422;
  override readonly code = 'not_sold_in_currency';
  override readonly title = 'Not sold in this currency';
  constructor(sku: string, currency: string) {
    super(`${sku} has no price in ${currency}`, { extensions: { sku, currency } });
  }
}

export class QuantityLimit extends DomainError {
  override readonly status = 422;
  override readonly code = 'quantity_limit';
  override readonly title = 'Quantity limit';
  constructor(sku: string, max: number) {
    super(`at most ${max} of ${sku} per order`, { extensions: { sku, max } });
  }
}

export class TooManyLines extends DomainError {
  override readonly status = 422;
  override readonly code = 'too_many_lines';
  override readonly title = 'Too many lines';
  constructor(max: number) {
    super(`a cart holds at most ${max} different products`, { extensions: { max } });
  }
}

export class CartTooLarge extends DomainError {
  override readonly status = 422;
  override readonly code = 'cart_too_large';
  override readonly title = 'Cart too large';
  constructor() {
    super('this cart would be worth more than we can take in one order');
  }
}

export class CodeNotApplicable extends DomainError {
  override readonly status = 422;
  override readonly code = 'code_not_applicable';
  override readonly title = 'Code not applicable';
  constructor(code: string, reasonCode: string, reason: string) {
    super(reason, { extensions: { promotionCode: code, reason, reasonCode } });
  }
}

export class CartClosed extends DomainError {
  override readonly status = 409;
  override readonly code = 'cart_closed';
  override readonly title = 'Cart closed';
  constructor(status: string) {
    super(`this cart is ${status} and can no longer change`, { extensions: { cartStatus: status } });
  }
}

/** A change to a cart that was checked out: the shopper starts a new cart (or waits for a cancelled order's cart to reopen). */
export class CartOrdered extends DomainError {
  override readonly status = 409;
  override readonly code = 'cart_ordered';
  override readonly title = 'Cart ordered';
  constructor(orderId: string | null) {
    super('an order was placed from this cart, so it can no longer change; start a new cart', {
      extensions: { cartStatus: 'ordered', orderId },
    });
  }
}

/** A 409 whose `code` names the case, with the details a client shows (checkout and redemption refusals). */
export class Refused extends DomainError {
  override readonly status = 409;
  override readonly code: string;
  override readonly title = 'Refused';
  constructor(code: string, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions });
    this.code = code;
  }
}

/** A 422 for a value the schema let through but the rules do not (a tax region we do not know). */
export class Invalid extends DomainError {
  override readonly status = 422;
  override readonly code: string;
  override readonly title = 'Invalid';
  constructor(code: string, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions });
    this.code = code;
  }
}
