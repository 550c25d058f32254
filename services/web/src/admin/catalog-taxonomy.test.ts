import { describe, expect, it } from 'vitest';
import { ACME, catalogApp, fieldError, HOME, KITCHEN, text } from './catalog-test-support.ts';

describe('admin catalog: categories and brands', () => {
  it('shows the tree, creates under a parent and explains a refused delete', async () => {
    const s = await catalogApp();
    const page = await s.get('/admin/categories');
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toMatch(/Home[\s\S]*Kitchen[\s\S]*Bedding[\s\S]*Garden/);

    const created = await s.post('/admin/categories', { name: 'Lighting', slug: '', parentId: HOME, position: '' });
    expect(created.status).toBe(303);
    expect(s.fake.calls.at(-1)?.body).toEqual({ name: 'Lighting', parentId: HOME });

    const dup = await s.post('/admin/categories', { name: 'Kitchen', slug: 'kitchen', parentId: '', position: '' });
    expect(dup.status).toBe(409);
    expect(fieldError(await dup.text(), 'nc-slug')).toBe('A category with this slug already exists');

    const bad = await s.post('/admin/categories', { name: '', parentId: 'nope', position: '99999' });
    expect(bad.status).toBe(422);
    const badHtml = await bad.text();
    expect(fieldError(badHtml, 'nc-name')).toBe('Enter a name');
    expect(fieldError(badHtml, 'nc-position')).toMatch(/whole number/);

    const refused = await s.post(`/admin/categories/${HOME}/delete`, {});
    expect(refused.status).toBe(409);
    expect(text(await refused.text())).toContain('Category home still has subcategories or products');
    const garden = s.fake.categories.find((c) => c.slug === 'garden');
    expect((await s.post(`/admin/categories/${garden?.id}/delete`, {})).status).toBe(303);
  });

  it('renames, moves and reorders a category', async () => {
    const s = await catalogApp();
    const edit = await s.get(`/admin/categories/${KITCHEN}`);
    const html = await edit.text();
    expect(edit.status).toBe(200);
    // A category cannot move under itself: it is not offered as a parent.
    expect(html).not.toContain(`<option value="${KITCHEN}"`);
    const saved = await s.post(`/admin/categories/${KITCHEN}`, {
      name: 'Cooking',
      slug: 'cooking',
      parentId: '',
      position: '5',
    });
    expect(saved.status).toBe(303);
    expect(s.fake.calls.at(-1)?.body).toEqual({ name: 'Cooking', slug: 'cooking', parentId: null, position: 5 });

    const s2 = await catalogApp();
    const bedding = '00000000-0000-4000-8000-00000000000c';
    const up = await s2.post(`/admin/categories/${bedding}/move`, { direction: 'up' });
    expect(up.status).toBe(303);
    const patches = s2.fake.calls
      .filter((c) => c.method === 'PATCH')
      .map((c) => [c.path.split('/').pop(), c.body.position]);
    expect(patches).toEqual([
      [bedding, 1],
      [KITCHEN, 2],
    ]);
  });

  it('creates, renames and deletes brands, with the reason when one is in use', async () => {
    const s = await catalogApp();
    expect((await s.post('/admin/brands', { name: 'Lumen', slug: '' })).status).toBe(303);
    const dup = await s.post('/admin/brands', { name: 'Acme', slug: 'acme' });
    expect(dup.status).toBe(409);
    expect(fieldError(await dup.text(), 'nb-slug')).toBe('A brand with this slug already exists');
    expect((await s.post(`/admin/brands/${ACME}`, { name: 'Acme Co', slug: 'acme-co' })).status).toBe(303);
    expect(s.fake.brands.find((b) => b.id === ACME)?.name).toBe('Acme Co');
    s.fake.addProduct({ name: 'Anvil', brand: { id: ACME, slug: 'acme-co', name: 'Acme Co' } });
    const inUse = await s.post(`/admin/brands/${ACME}/delete`, {});
    expect(inUse.status).toBe(409);
    expect(text(await inUse.text())).toContain('Brand acme-co is still used by products');
  });
});
