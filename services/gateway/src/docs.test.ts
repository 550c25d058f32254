import { createRoute, z } from '@storefront/kit';
import { jsonOf } from '@storefront/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstream, testGateway } from './test-helpers.ts';

let catalog: Awaited<ReturnType<typeof startUpstream>>;
let gw: Awaited<ReturnType<typeof testGateway>>;

beforeAll(async () => {
  catalog = await startUpstream((app) => {
    const Product = z.object({ id: z.string(), name: z.string() }).openapi('Product');
    app.openapi(
      createRoute({
        method: 'get',
        path: '/products/{id}',
        summary: 'One product <b>by id</b>',
        request: { params: z.object({ id: z.string().max(64) }) },
        responses: { 200: { description: 'the product', content: { 'application/json': { schema: Product } } } },
      }),
      (c) => c.json({ id: c.req.valid('param').id, name: 'x' }, 200),
    );
  });
  gw = await testGateway({ urls: { catalog: catalog.url }, redis: null });
});
afterAll(async () => {
  await gw.close();
  await catalog.close();
});

describe('API docs', () => {
  it('merges the OpenAPI of the services that answer and lists the others as unavailable', async () => {
    const doc = await jsonOf(await gw.request('/api/openapi.json'));
    expect(doc.paths['/api/catalog/products/{id}'].get.summary).toBe('One product <b>by id</b>');
    expect(doc.components.schemas['catalog.Product']).toBeTruthy();
    expect(doc['x-unavailable']).toContain('cart');
    expect(doc['x-unavailable']).not.toContain('catalog');
  });

  it('renders an offline HTML reference: escaped, no scripts, style allowed by the nonce', async () => {
    const res = await gw.request('/api/docs');
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const page = await res.text();
    expect(page).toContain('/api/catalog/products/{id}');
    expect(page).toContain('One product &lt;b&gt;by id&lt;/b&gt;');
    expect(page).toContain('href="#c-schemas_catalog.Product"');
    expect(page).toContain('id="c-schemas_catalog.Product"');
    expect(page).toContain('href="/api/openapi.json"');
    expect(page).not.toMatch(/<script|https?:\/\/cdn/i);
    const nonce = /'nonce-([^']+)'/.exec(res.headers.get('content-security-policy') ?? '')?.[1];
    expect(page).toContain(`<style nonce="${nonce}">`);
  });
});
