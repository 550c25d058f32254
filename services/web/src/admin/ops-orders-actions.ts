import type { Context } from 'hono';
import { z } from 'zod';
import type { WebEnv } from '../env.ts';
import { notFoundPage } from '../errors.tsx';
import { parseForm } from '../validate.ts';
import { amountText, KEY_RE, money, parseAmount, refusal } from './ops-common.tsx';
import { loadOrder, orderPage } from './ops-orders-detail.tsx';
import { renewKeyIfRefused, withKey } from './ops-parts.tsx';

/** What staff do to an order: add a note, cancel it, refund it (once, however often the form is sent). */

/** The order's currency (it decides an amount's decimals); undefined when there is no such order. */
async function currencyOf(c: Context<WebEnv>, id: string): Promise<string | undefined> {
  const d = await loadOrder(c, id);
  if (!d) return undefined;
  return d.ok ? d.body.order.currency : c.get('config').SHOP_CURRENCY;
}

const NoteForm = z.object({
  body: z.string().trim().min(1, 'Write the note.').max(2000, 'Keep the note under 2,000 characters.'),
});
const CancelForm = z.object({
  reason: z.string().trim().min(1, 'Say why the order is cancelled.').max(300, 'At most 300 characters.'),
});
const RefundForm = z.object({
  key: z.string().regex(KEY_RE, 'Reload the page and try again.'),
  amount: z.string().trim().max(20, 'Enter an amount such as 12.50.').optional(),
  reason: z.string().trim().min(1, 'Say why you refund.').max(300, 'At most 300 characters.'),
});

export async function postNote(c: Context<WebEnv>, id: string) {
  const f = await parseForm(c, NoteForm);
  if (!f.ok) return orderPage(c, id, { form: 'note', values: f.raw, errors: f.errors });
  const r = await c.get('api').call(c, 'POST', `/api/orders/admin/orders/${id}/notes`, { json: f.data });
  if (r.status === 404) return notFoundPage(c, 'order');
  if (!r.ok) return orderPage(c, id, refusal('note', f.raw, r));
  return c.redirect(`/admin/orders/${id}?done=note-added#notes-h`, 303);
}

export async function postCancel(c: Context<WebEnv>, id: string) {
  const f = await parseForm(c, CancelForm);
  if (!f.ok) return orderPage(c, id, { form: 'cancel', values: f.raw, errors: f.errors });
  const r = await c.get('api').call(c, 'POST', `/api/orders/admin/orders/${id}/cancel`, { json: f.data });
  if (r.status === 404) return notFoundPage(c, 'order');
  if (!r.ok) {
    const detail = typeof r.problem?.detail === 'string' ? r.problem.detail : '';
    return orderPage(
      c,
      id,
      refusal('cancel', f.raw, r, {
        not_cancellable: /refund is in flight/.test(detail)
          ? 'A refund is on its way: cancel once it has settled.'
          : 'This order can no longer be cancelled (a parcel has left, or it is already cancelled). Use a return instead.',
      }),
    );
  }
  return c.redirect(`/admin/orders/${id}?done=cancel-requested`, 303);
}

export async function postRefund(c: Context<WebEnv>, id: string) {
  const f = await parseForm(c, RefundForm);
  const values = withKey(f.raw, 'key');
  if (!f.ok) return orderPage(c, id, { form: 'refund', values, errors: f.errors });
  let amount: number | undefined;
  if (f.data.amount) {
    // The currency decides the decimals: read it from the order.
    const currency = await currencyOf(c, id);
    if (!currency) return notFoundPage(c, 'order');
    amount = parseAmount(f.data.amount, currency);
    if (!amount) {
      return orderPage(c, id, {
        form: 'refund',
        values,
        errors: { amount: `Enter an amount such as ${amountText(1250, currency)}, more than zero.` },
      });
    }
  }
  const r = await c.get('api').call<{ replayed: boolean }>(c, 'POST', `/api/orders/admin/orders/${id}/refund`, {
    json: { reason: f.data.reason, ...(amount ? { amount } : {}) },
    headers: { 'idempotency-key': f.data.key },
  });
  if (r.status === 404) return notFoundPage(c, 'order');
  if (!r.ok) {
    const p = r.problem;
    const currency = (await currencyOf(c, id)) ?? c.get('config').SHOP_CURRENCY;
    const state = refusal('refund', values, r, {
      refund_exceeds_refundable:
        typeof p?.refundable === 'number'
          ? `Only ${money(p.refundable, currency)} can still be refunded.`
          : 'That is more than can still be refunded.',
      not_refundable:
        'Nothing can be refunded right now: the payment is not captured yet, a refund is on its way, or all of it was refunded.',
    });
    return orderPage(c, id, renewKeyIfRefused(state, r, 'key'));
  }
  return c.redirect(`/admin/orders/${id}?done=${r.body?.replayed ? 'refund-replayed' : 'refund-requested'}`, 303);
}
