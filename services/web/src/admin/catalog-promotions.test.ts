import { describe, expect, it } from 'vitest';
import { catalogApp, fieldError, HOME, text } from './catalog-test-support.ts';

describe('admin catalog: promotions', () => {
  const base = {
    name: 'Spring',
    code: 'spring10',
    kind: 'percentage',
    percent: '12.5',
    amount: '',
    buy: '',
    get: '',
    getPercent: '',
    currency: '',
    minSubtotal: '',
    productIds: '',
    startsAt: '2030-03-01T00:00',
    endsAt: '2030-04-01T00:00',
    usageLimit: '100',
    perCustomerLimit: '1',
    active: 'on',
  };

  it('creates a code promotion with conditions and lists it with its usage', async () => {
    const s = await catalogApp();
    const res = await s.post('/admin/promotions/new', [
      ...Object.entries(base),
      ['categoryIds', HOME],
      ['categoryIds', 'forged'],
    ]);
    expect(res.status).toBe(303);
    expect(s.fake.calls.at(-1)?.body).toEqual({
      name: 'Spring',
      code: 'SPRING10',
      effect: { kind: 'percentage', percentBp: 1250 },
      currency: null,
      minSubtotal: null,
      productIds: [],
      categoryIds: [HOME],
      customerOnly: false,
      startsAt: '2030-03-01T00:00:00.000Z',
      endsAt: '2030-04-01T00:00:00.000Z',
      usageLimit: 100,
      perCustomerLimit: 1,
      active: true,
    });
    const promo = s.fake.promotions[0];
    if (promo) promo.usedCount = 7;
    const list = text(await (await s.get('/admin/promotions')).text());
    expect(list).toContain('SPRING10');
    expect(list).toContain('12.5 % off');
    expect(list).toContain('7 of 100');
    expect(list).toContain('Scheduled');
    expect(list).toContain('categories: Home');
  });

  it('checks the form and shows API refusals inline', async () => {
    const s = await catalogApp();
    const bad = await s.post('/admin/promotions/new', {
      ...base,
      kind: 'fixed',
      amount: '5',
      currency: '',
      endsAt: '2030-02-01T00:00',
    });
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(fieldError(html, 'f-currency')).toBe('A fixed amount needs a currency');
    expect(fieldError(html, 'f-endsAt')).toBe('The end must be after the start');
    expect(s.fake.calls.some((c) => c.method === 'POST')).toBe(false);

    await s.post('/admin/promotions/new', base);
    const dup = await s.post('/admin/promotions/new', base);
    expect(dup.status).toBe(409);
    expect(fieldError(await dup.text(), 'f-code')).toBe('A promotion with this code already exists');

    const ids = await s.post('/admin/promotions/new', { ...base, code: '', productIds: 'not-an-id' });
    expect(fieldError(await ids.text(), 'f-productIds')).toMatch(/Not a product id/);
  });

  it('edits and deactivates a promotion', async () => {
    const s = await catalogApp();
    await s.post('/admin/promotions/new', { ...base, code: '', kind: 'fixed', amount: '5', currency: 'usd' });
    const p = s.fake.promotions[0];
    const page = await s.get(`/admin/promotions/${p?.id}`);
    const html = await page.text();
    expect(text(html)).toContain('$5.00 off');
    expect(html).toContain('value="5.00"');
    const saved = await s.post(`/admin/promotions/${p?.id}`, {
      ...base,
      code: '',
      kind: 'buy_x_get_y',
      buy: '2',
      get: '1',
    });
    expect(saved.status).toBe(303);
    expect(s.fake.calls.at(-1)?.body.effect).toEqual({ kind: 'buy_x_get_y', buy: 2, get: 1, discountBp: 10_000 });
    const off = await s.post(`/admin/promotions/${p?.id}/active`, { active: 'false' });
    expect(off.status).toBe(303);
    expect(s.fake.calls.at(-1)?.body).toEqual({ active: false });
    expect(text(await (await s.get('/admin/promotions?done=promotion-deactivated')).text())).toMatch(
      /Promotion deactivated\..*Inactive/,
    );
  });
});
