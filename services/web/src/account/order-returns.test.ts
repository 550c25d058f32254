import { describe, expect, it } from 'vitest';
import { ORDER_ID, order, orderApi, ret, signedIn } from './order-fixtures.ts';
import { problem, text } from './test-support.ts';

describe('request a return', () => {
  it('explains why not when the order is not delivered', async () => {
    const { get } = await signedIn(orderApi(order({ status: 'shipped', deliveredAt: null })).routes);
    const res = await get(`/account/orders/${ORDER_ID}/return`);
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(text(html)).toMatch(/You can ask for a return once your order has been delivered/);
    expect(html).not.toContain('<select');
  });

  it('offers each line with the units still returnable and every reason', async () => {
    const { get } = await signedIn(orderApi(order(), { returns: [ret()] }).routes);
    const res = await get(`/account/orders/${ORDER_ID}/return`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(text(html)).toMatch(/Swift Headphones Bought 2, 1 can still be returned/);
    expect(html).toContain('<label for="qty_0">Quantity to return</label>');
    expect(html).toContain('<label for="reason_0">Reason</label>');
    expect(html.match(/<option value="\d+"/g)?.length).toBe(4); // 0–1 for HEAD-1, 0–1 for CASE-1
    expect(html).toContain('value="does_not_fit"');
  });

  it('shows inline errors: nothing chosen, a quantity without a reason, too many', async () => {
    const { routes, posted } = orderApi(order());
    const { post } = await signedIn(routes);
    const none = await post(`/account/orders/${ORDER_ID}/return`, { qty_0: '0' });
    expect(none.status).toBe(422);
    expect(text(await none.text())).toMatch(/Choose at least one item to return/);
    const noReason = await post(`/account/orders/${ORDER_ID}/return`, { qty_0: '1' });
    expect(noReason.status).toBe(422);
    const html = await noReason.text();
    expect(html).toContain('id="reason_0-err"');
    expect(html).toContain('<option value="1" selected="">');
    const tooMany = await post(`/account/orders/${ORDER_ID}/return`, { qty_0: '5', reason_0: 'damaged' });
    expect(text(await tooMany.text())).toMatch(/At most 2 can be returned/);
    expect(posted).toEqual([]);
  });

  it('sends the chosen lines and reason, then shows the order with a notice', async () => {
    const { routes, posted } = orderApi(order());
    const { post, get } = await signedIn(routes);
    const res = await post(`/account/orders/${ORDER_ID}/return`, {
      qty_0: '2',
      reason_0: 'does_not_fit',
      qty_1: '0',
      reason_1: '',
      note: '  too small  ',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/account/orders/${ORDER_ID}?done=return-requested#returns`);
    expect(posted).toEqual([{ lines: [{ sku: 'HEAD-1', qty: 2, reason: 'does_not_fit' }], note: 'too small' }]);
    const page = await get(`/account/orders/${ORDER_ID}?done=return-requested`);
    expect(text(await page.text())).toMatch(/Your return request is in/);
  });

  it('an orders refusal is shown kindly with the form kept', async () => {
    const { routes } = orderApi(order());
    routes.unshift([
      `POST /api/orders/orders/${ORDER_ID}/returns`,
      () => problem(409, 'only 1 of HEAD-1 can still be returned', { code: 'return_refused' }),
    ]);
    const { post } = await signedIn(routes);
    const res = await post(`/account/orders/${ORDER_ID}/return`, { qty_0: '2', reason_0: 'damaged' });
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(text(html)).toMatch(/Only 1 of HEAD-1 can still be returned/);
    expect(html).toContain('<option value="damaged" selected="">');
  });

  it('refuses a forged form (wrong CSRF token) before calling orders', async () => {
    const { routes, posted } = orderApi(order());
    const { post } = await signedIn(routes);
    const res = await post(`/account/orders/${ORDER_ID}/return`, { qty_0: '1', reason_0: 'damaged' }, 'x'.repeat(32));
    expect(res.status).toBe(403);
    expect(posted).toEqual([]);
  });
});
