import type { Context } from 'hono';
import { z } from 'zod';
import type { WebEnv } from '../env.ts';
import { parseForm } from '../validate.ts';
import { KEY_RE, refusal } from './ops-common.tsx';
import { type Location, LocationCode, loadLocations, nameOf, skuPath, withMessages } from './ops-inventory-shared.tsx';
import { skuPage } from './ops-inventory-sku.tsx';
import { remapErrors, renewKeyIfRefused, withKey } from './ops-parts.tsx';

/** The changes to one SKU's stock: adjust on hand, transfer between locations, set the low-stock threshold. */

const Note = z.string().trim().max(500, 'Keep the note under 500 characters.').optional();

const AdjustForm = z.object({
  op: z.string().regex(KEY_RE, 'Reload the page and try again.'),
  location: LocationCode.describe('location'),
  reason: z.enum(['count', 'receipt', 'damage', 'correction'], { error: 'Choose a reason.' }),
  quantity: z
    .string()
    .trim()
    .regex(/^[+-]?\d{1,7}$/, 'Enter a whole number.'),
  note: Note,
});

/** The quantity's meaning by reason, as the inventory API takes it. */
function adjustmentBody(
  d: z.infer<typeof AdjustForm>,
  sku: string,
): { body?: Record<string, unknown>; error?: string } {
  const n = Number(d.quantity);
  const base = { id: d.op, sku, location: d.location, ...(d.note ? { note: d.note } : {}) };
  switch (d.reason) {
    case 'count':
      if (n < 0 || n > 1_000_000) return { error: 'A count is between 0 and 1,000,000 units.' };
      return { body: { ...base, reason: 'count', onHand: n } };
    case 'correction':
      if (n === 0 || Math.abs(n) > 10_000) return { error: 'A correction is between −10,000 and 10,000 units, not 0.' };
      return { body: { ...base, reason: 'correction', delta: n } };
    default:
      if (n < 1 || n > 10_000) return { error: 'Enter between 1 and 10,000 units.' };
      return { body: { ...base, reason: d.reason, qty: n } };
  }
}

export async function postAdjust(c: Context<WebEnv>, sku: string) {
  const f = await parseForm(c, AdjustForm);
  const values = withKey(f.raw, 'op');
  if (!f.ok) return skuPage(c, sku, { form: 'adjust', values, errors: withMessages(f.errors) });
  const { body, error } = adjustmentBody(f.data, sku);
  if (!body) return skuPage(c, sku, { form: 'adjust', values, errors: { quantity: error ?? 'Check the quantity.' } });
  const r = await c.get('api').call<{ replayed: boolean }>(c, 'POST', '/api/inventory/adjustments', { json: body });
  if (!r.ok) {
    const reserved = typeof r.problem?.reserved === 'number' ? r.problem.reserved : undefined;
    const state = refusal('adjust', values, r, {
      insufficient_stock:
        reserved !== undefined
          ? `On hand cannot go below the ${reserved} units reserved for orders at this location.`
          : 'That would leave less stock than is reserved or allowed.',
    });
    const fields = { onHand: 'quantity', qty: 'quantity', delta: 'quantity' };
    return skuPage(c, sku, remapErrors(renewKeyIfRefused(state, r, 'op'), fields));
  }
  return c.redirect(`${skuPath(sku)}?done=adjusted`, 303);
}

const TransferForm = z
  .object({
    op: z.string().regex(KEY_RE, 'Reload the page and try again.'),
    from: LocationCode,
    to: LocationCode,
    qty: z
      .string()
      .trim()
      .regex(/^\d{1,5}$/, 'Enter a whole number of units.')
      .transform(Number)
      .pipe(z.number().int().min(1, 'Move at least 1 unit.').max(10_000, 'Move at most 10,000 units at once.')),
    note: Note,
  })
  .refine((t) => t.from !== t.to, { message: 'Choose a different location to move to.', path: ['to'] });

export async function postTransfer(c: Context<WebEnv>, sku: string) {
  const f = await parseForm(c, TransferForm);
  const values = withKey(f.raw, 'op');
  if (!f.ok) return skuPage(c, sku, { form: 'transfer', values, errors: withMessages(f.errors) });
  const d = f.data;
  const r = await c.get('api').call(c, 'POST', '/api/inventory/transfers', {
    json: { id: d.op, sku, from: d.from, to: d.to, qty: d.qty, ...(d.note ? { note: d.note } : {}) },
  });
  if (!r.ok) {
    const p = r.problem;
    const available = typeof p?.available === 'number' ? p.available : undefined;
    const locations = await loadLocations(c).catch(() => [] as Location[]);
    // The API says which side refused: the source (too few available) or the destination (too many on hand).
    const state = refusal('transfer', values, r, {
      ...(p?.side === 'to'
        ? {
            insufficient_stock: `${nameOf(locations, d.to)} cannot take ${d.qty} more: a location holds at most ${(typeof p.limit === 'number' ? p.limit : 1_000_000_000).toLocaleString('en-US')} units of a SKU.`,
          }
        : available !== undefined
          ? {
              insufficient_stock:
                available === 0
                  ? `Nothing is available to transfer from ${nameOf(locations, d.from)}.`
                  : `Only ${available} available to transfer from ${nameOf(locations, d.from)}.`,
            }
          : {}),
    });
    return skuPage(c, sku, renewKeyIfRefused(state, r, 'op'));
  }
  return c.redirect(`${skuPath(sku)}?done=transferred`, 303);
}

const ThresholdForm = z.object({
  location: LocationCode,
  lowThreshold: z
    .string()
    .trim()
    .regex(/^\d{1,7}$/, 'Enter a whole number of units.')
    .transform(Number)
    .pipe(z.number().int().min(0).max(1_000_000, 'At most 1,000,000.')),
});

export async function postThreshold(c: Context<WebEnv>, sku: string) {
  const f = await parseForm(c, ThresholdForm);
  if (!f.ok) return skuPage(c, sku, { form: 'threshold', values: f.raw, errors: withMessages(f.errors) });
  const r = await c
    .get('api')
    .call(c, 'PUT', `/api/inventory/stock/${f.data.location}/${encodeURIComponent(sku)}/threshold`, {
      json: { lowThreshold: f.data.lowThreshold },
    });
  if (!r.ok) {
    return skuPage(
      c,
      sku,
      refusal('threshold', f.raw, r, { not_found: 'This SKU has no stock row at that location yet.' }),
    );
  }
  return c.redirect(`${skuPath(sku)}?done=threshold`, 303);
}
