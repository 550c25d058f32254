import { DomainError } from '@storefront/kit';

/** Orders' refusals, each a problem+json a client can act on. */

/** The cart refused the checkout (empty, prices changed, …): its code and details are passed through. */
export class CartRefused extends DomainError {
  override readonly status: number;
  override readonly code: string;
  override readonly title = 'The cart cannot be checked out';
  constructor(status: number, code: string, message: string, extensions: Record<string, unknown>) {
    super(message, { extensions: { ...extensions, reason: code } });
    this.status = status;
    this.code = code;
  }
}

export class CartUnavailable extends DomainError {
  override readonly status = 503;
  override readonly code = 'cart_unavailable';
  override readonly title = 'The cart service is unavailable';
}

export class IdempotencyMismatch extends DomainError {
  override readonly status = 422;
  override readonly code = 'idempotency_key_reused';
  override readonly title = 'Idempotency key reused with a different request';
}

export class CartAlreadyOrdered extends DomainError {
  override readonly status = 409;
  override readonly code = 'cart_already_ordered';
  override readonly title = 'This cart already has an order';
}

export class NotCancellable extends DomainError {
  override readonly status = 409;
  override readonly code = 'not_cancellable';
  override readonly title = 'The order can no longer be cancelled';
}

export class ReturnRefused extends DomainError {
  override readonly status = 409;
  override readonly code = 'return_refused';
  override readonly title = 'Return refused';
}

export class NotRefundable extends DomainError {
  override readonly status = 409;
  override readonly code = 'not_refundable';
  override readonly title = 'Nothing on this order can be refunded';
}

export class RefundExceedsRefundable extends DomainError {
  override readonly status = 422;
  override readonly code = 'refund_exceeds_refundable';
  override readonly title = 'The refund is more than what can still be refunded';
  constructor(refundable: number) {
    super(`at most ${refundable} can be refunded`, { extensions: { refundable } });
  }
}
