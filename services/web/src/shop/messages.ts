import type { ApiProblem } from '../api.ts';
import { friendlyMessage } from '../errors.tsx';
import { formatMoney } from '../ui.tsx';

/** Sentences for the codes the cart, checkout and payment APIs answer with on the shop pages. */
const SHOP_CODES: Record<string, string> = {
  cart_empty: 'Your cart is empty.',
  cart_closed: 'This cart can no longer change. Please start a new one.',
  cart_already_ordered: 'An order has already been placed from this cart. Check your order confirmation.',
  cart_ordered:
    'An order has already been placed from this cart, so it can no longer change. Add items again to start a new cart.',
  cart_reopening:
    'We are still putting your cart back after the cancelled order. Please wait a few seconds and try again.',
  cart_unavailable: 'We could not reach your cart just now. Please try again in a moment.',
  prices_changed: 'Some prices changed since you added the items. Please review your cart and accept the new prices.',
  checkout_incomplete: 'Please choose a shipping option and a delivery region first.',
  shipping_method_mismatch: 'Your shipping choice changed. Please check it and place the order again.',
  line_unavailable: 'Some items are no longer sold. Please remove them from your cart.',
  unknown_tax_region: 'Sorry, we do not deliver to that region yet.',
  unknown_shipping_option: 'That shipping option is not available. Please choose another.',
  too_many_lines: 'Your cart is full. Remove something before adding more.',
  cart_too_large: 'This cart is worth more than we can take in one order. Please split it into two orders.',
  unknown_sku: 'That product is not sold any more.',
  not_sold_in_currency: 'That product is not sold in this currency.',
  idempotency_key_reused: 'This checkout form was already used. Please check the details and place the order again.',
  payment_method_invalid: 'This card cannot be used. Please try another card.',
};

/** A shopper's sentence for an API problem met on a shop page, with the cart's own details when given. */
export function shopMessage(p: ApiProblem, names: Record<string, string | null | undefined> = {}): string {
  const sku = typeof p.sku === 'string' ? p.sku : undefined;
  const name = (sku && names[sku]) || 'this item';
  switch (p.code) {
    case 'out_of_stock': {
      const available = typeof p.available === 'number' ? p.available : undefined;
      if (available !== undefined && sku) {
        return available > 0
          ? `Only ${available} left of ${name}. Please lower the quantity.`
          : `Sorry, ${name} is out of stock.`;
      }
      return 'Sorry, some items are no longer available in the quantity you asked for.';
    }
    case 'quantity_limit':
      return typeof p.max === 'number'
        ? `You can buy at most ${p.max} of ${name} in one order.`
        : 'That quantity is more than we sell in one order.';
    case 'code_not_applicable': {
      const reason = typeof p.reason === 'string' && p.reason.length < 200 ? p.reason : undefined;
      return reason ? `That code cannot be used: ${reason}.` : 'That promotion code is not valid.';
    }
    default:
      return friendlyMessage(p, SHOP_CODES);
  }
}

/** The order's cancel reason ("card declined: insufficient funds") as a shopper reads it. */
export function declineText(reason: string | null | undefined): string {
  const r = (reason ?? '').toLowerCase();
  if (r.includes('insufficient funds')) return 'Your card was declined for insufficient funds.';
  if (r.includes('expired card')) return 'Your card has expired.';
  if (r.includes('incorrect cvc')) return 'The security code (CVC) of your card is not correct.';
  if (r.includes('authentication failed')) return 'The 3-D Secure check of your card did not succeed.';
  if (r.includes('processing error')) return 'Your card could not be processed just now.';
  if (r.includes('payment method invalid')) return 'This card cannot be used.';
  if (r.startsWith('card declined')) return 'Your card was declined.';
  if (r.includes('payment could not be completed')) return 'The payment could not be completed.';
  if (r.includes('stock') || r.includes('reserv'))
    return 'Sorry, some items sold out while we were placing your order.';
  return 'Your order could not be completed.';
}

/** Was the order cancelled because of the payment (so another card may work)? */
export function paymentFailed(reason: string | null | undefined): boolean {
  const r = (reason ?? '').toLowerCase();
  return r.startsWith('card declined') || r.includes('payment') || r.includes('authentication');
}

/** Flash messages after a redirect (`?done=`), fixed texts only. */
export const DONE: Record<string, string> = {
  added: 'Added to your cart.',
  updated: 'Your cart was updated.',
  removed: 'The item was removed from your cart.',
  'code-applied': 'Your promotion code was applied.',
  'code-removed': 'The promotion code was removed.',
  shipping: 'Delivery choice saved.',
  acknowledged: 'Thanks — the new prices are accepted.',
  review: 'Thank you! Your review is published.',
};

export function money(amount: number | null | undefined, currency: string): string {
  return amount === null || amount === undefined ? '' : formatMoney({ amount, currency });
}
