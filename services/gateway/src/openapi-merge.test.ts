import { describe, expect, it } from 'vitest';
import { mergeOpenApi } from './openapi-merge.ts';

const productDoc = {
  openapi: '3.1.0',
  info: { title: 'storefront catalog', version: '1', description: 'Products and categories' },
  paths: {
    '/products/{id}': {
      get: {
        operationId: 'getProduct',
        tags: ['products'],
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          200: {
            description: 'the product',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Product' } } },
          },
        },
      },
    },
    '/': { get: { responses: { 200: { description: 'index' } } } },
  },
  components: {
    schemas: {
      Product: { type: 'object', properties: { price: { $ref: '#/components/schemas/Money' } } },
      Money: { type: 'object' },
    },
  },
};

describe('mergeOpenApi', () => {
  const merged = mergeOpenApi(
    [
      { service: 'catalog', doc: productDoc },
      {
        service: 'cart',
        doc: { paths: { '/carts/{id}': { get: { responses: {} } } }, components: { schemas: { Money: {} } } },
      },
    ],
    ['orders'],
    { title: 'Storefront API', version: '1' },
  );

  it('prefixes paths with /api/<service>', () => {
    expect(Object.keys(merged.paths).sort()).toEqual([
      '/api/cart/carts/{id}',
      '/api/catalog',
      '/api/catalog/products/{id}',
    ]);
  });

  it('prefixes component names and every reference to them, so services cannot collide', () => {
    expect(Object.keys(merged.components.schemas ?? {}).sort()).toEqual([
      'cart.Money',
      'catalog.Money',
      'catalog.Product',
    ]);
    expect(JSON.stringify(merged.paths['/api/catalog/products/{id}'])).toContain(
      '#/components/schemas/catalog.Product',
    );
    expect(JSON.stringify(merged.components.schemas?.['catalog.Product'])).toContain(
      '#/components/schemas/catalog.Money',
    );
  });

  it('groups operations by service and keeps operation ids unique', () => {
    const op = merged.paths['/api/catalog/products/{id}']?.get as Record<string, unknown>;
    expect(op.tags).toEqual(['catalog']);
    expect(op.operationId).toBe('catalog.getProduct');
    expect(merged.tags).toEqual([
      { name: 'catalog', description: 'Products and categories' },
      { name: 'cart', description: 'cart' },
    ]);
  });

  it('names the services that did not answer', () => {
    expect(merged['x-unavailable']).toEqual(['orders']);
  });

  it('survives documents that are not what they claim', () => {
    const odd = mergeOpenApi(
      [
        {
          service: 'x',
          doc: { paths: { nope: {}, '/a': 'string', '/b': { get: 'no' } }, components: { schemas: [] } },
        },
      ],
      [],
      { title: 't', version: '1' },
    );
    expect(Object.keys(odd.paths)).toEqual(['/api/x/b']);
  });
});
