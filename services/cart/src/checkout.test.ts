import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startCart } from './test-harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startCart();
  h.catalog.set('LAMP', { USD: 4000, EUR: 3600 });
  h.catalog.set('BULB', { USD: 250, EUR: 230 });
  h.inventory.stock.set('LAMP', 5);
  h.inventory.stock.set('BULB', 50);
});
afterAll(() => h.close());

async function readyCart(currency = 'USD') {
  const cart = await h.guestCart(currency);
  const o = { cartToken: cart.token };
  await h.call('POST', `/carts/${cart.id}/lines`, { ...o, body: { sku: 'LAMP', quantity: 1 } });
  await h.call('POST', `/carts/${cart.id}/lines`, { ...o, body: { sku: 'BULB', quantity: 4 } });
  return { ...cart, o };
}

describe('shipping and tax', () => {
  it('US-CA standard: free over $50 of merchandise, 7.25 % on lines, shipping untaxed', async () => {
    const { id, o } = await readyCart();
    const r = await h.call('PUT', `/carts/${id}/shipping`, { ...o, body: { option: 'standard', region: 'US-CA' } });
    // 4000 + 1000 = 5000: at the threshold, so free; tax 290 + 72.5→73.
    expect(r.body.totals).toEqual({
      subtotal: 5000,
      lineDiscount: 0,
      orderDiscount: 0,
      discount: 0,
      merchandise: 5000,
      shipping: 0,
      tax: 363,
      total: 5363,
      estimatedTotal: 5363,
    });
    expect(r.body.lines.map((l: { tax: number }) => l.tax)).toEqual([290, 73]);
    expect(r.body.shippingOptions).toEqual([
      { id: 'standard', name: expect.any(String), price: 599, amount: 0 },
      { id: 'express', name: expect.any(String), price: 1999, amount: 1999 },
      { id: 'pickup', name: expect.any(String), price: 0, amount: 0 },
    ]);
  });

  it('DE express: 19 % VAT on lines and on shipping (prices are net)', async () => {
    const { id, o } = await readyCart('EUR');
    const r = await h.call('PUT', `/carts/${id}/shipping`, { ...o, body: { option: 'express', region: 'DE' } });
    // 3600 + 920 = 4520; shipping 1499; tax 684 + 174.8→175 + 284.81→285 = 1144.
    expect(r.body.totals).toMatchObject({ merchandise: 4520, shipping: 1499, tax: 1144, total: 4520 + 1499 + 1144 });
  });

  it('refuses options and regions it does not know', async () => {
    const { id, o } = await readyCart();
    const opt = await h.call('PUT', `/carts/${id}/shipping`, { ...o, body: { option: 'drone' } });
    expect(opt.body).toMatchObject({ code: 'unknown_shipping_option', options: ['standard', 'express', 'pickup'] });
    const region = await h.call('PUT', `/carts/${id}/shipping`, { ...o, body: { region: 'ZZ' } });
    expect([region.status, region.body.code]).toEqual([422, 'unknown_tax_region']);
    // A state without its own rate falls back to its country.
    expect((await h.call('PUT', `/carts/${id}/shipping`, { ...o, body: { region: 'US-MT' } })).body.totals.tax).toBe(0);
  });
});

describe('price changed since added', () => {
  it('is flagged on read, blocks checkout until acknowledged', async () => {
    const { id, o } = await readyCart();
    await h.call('PUT', `/carts/${id}/shipping`, { ...o, body: { option: 'pickup', region: 'US-NY' } });
    expect((await h.call('POST', `/carts/${id}/checkout-quote`, o)).status).toBe(200);

    h.catalog.set('LAMP', { USD: 4500, EUR: 3600 });
    const read = await h.call('GET', `/carts/${id}`, o);
    expect(read.body.priceChanges).toBe(1);
    expect(read.body.lines[0]).toMatchObject({
      sku: 'LAMP',
      unitPrice: 4500,
      seenUnitPrice: 4000,
      priceChanged: true,
      subtotal: 4500,
    });
    const blocked = await h.call('POST', `/carts/${id}/checkout-quote`, o);
    expect(blocked.status).toBe(409);
    expect(blocked.body).toMatchObject({
      code: 'prices_changed',
      lines: [{ sku: 'LAMP', seenUnitPrice: 4000, unitPrice: 4500 }],
    });

    const ack = await h.call('POST', `/carts/${id}/acknowledge-prices`, o);
    expect(ack.body.priceChanges).toBe(0);
    expect(ack.body.lines[0]).toMatchObject({ unitPrice: 4500, seenUnitPrice: 4500, priceChanged: false });
    const quote = await h.call('POST', `/carts/${id}/checkout-quote`, o);
    expect(quote.status).toBe(200);
    expect(quote.body.totals).toMatchObject({ merchandise: 5500, shipping: 0, tax: 220, total: 5720 });
    h.catalog.set('LAMP', { USD: 4000, EUR: 3600 });
  });
});

describe('checkout quote refusals', () => {
  it('empty, incomplete, out of stock, no longer sold, catalog down', async () => {
    const empty = await h.guestCart();
    expect((await h.call('POST', `/carts/${empty.id}/checkout-quote`, { cartToken: empty.token })).body.code).toBe(
      'cart_empty',
    );

    const { id, o } = await readyCart();
    const incomplete = await h.call('POST', `/carts/${id}/checkout-quote`, o);
    expect(incomplete.body).toMatchObject({ code: 'checkout_incomplete', missing: ['shippingOption', 'taxRegion'] });
    await h.call('PUT', `/carts/${id}/shipping`, { ...o, body: { option: 'standard', region: 'US-TX' } });

    h.inventory.stock.set('LAMP', 0);
    const short = await h.call('POST', `/carts/${id}/checkout-quote`, o);
    expect(short.body).toMatchObject({ code: 'out_of_stock', lines: [{ sku: 'LAMP', requested: 1, available: 0 }] });
    h.inventory.stock.set('LAMP', 5);

    h.catalog.remove('BULB');
    const gone = await h.call('GET', `/carts/${id}`, o);
    expect(gone.body.lines[1]).toMatchObject({ sku: 'BULB', available: false, subtotal: 0 });
    expect(gone.body.totals.subtotal).toBe(4000);
    expect((await h.call('POST', `/carts/${id}/checkout-quote`, o)).body).toMatchObject({
      code: 'line_unavailable',
      skus: ['BULB'],
    });
    h.catalog.set('BULB', { USD: 250, EUR: 230 });

    h.catalog.setDown(true);
    const down = await h.call('POST', `/carts/${id}/checkout-quote`, o);
    h.catalog.setDown(false);
    expect(down.status).toBe(503);
    expect((await h.call('POST', `/carts/${id}/checkout-quote`, o)).status).toBe(200);
  });
});
