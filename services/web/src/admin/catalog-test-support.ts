// biome-ignore-all lint/suspicious/noExplicitAny: a test fake reads and writes loose JSON bodies.
import { randomUUID } from 'node:crypto';
import { appWithGateway, type Call, json, problem as problemDoc, readCall } from '../test-gateway.ts';
import type { Brand, CategoryNode, Product, Promotion } from './catalog-lib.ts';

/** A problem document titled with its code. */
const problem = (status: number, code: string, detail: string, extra: Record<string, unknown> = {}) =>
  problemDoc(status, code, detail, { title: code, ...extra });

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] };

/**
 * A small in-memory stand-in for the catalog and cart admin APIs behind the gateway: enough of
 * their behaviour (slugs unique, SKUs unique, publishing needs a price, a category with children
 * cannot go, a brand in use cannot go) for the pages' flows; the real services are covered by the
 * browser test. `fail` answers a "METHOD /path" with a prepared response once.
 */
export function fakeCatalog() {
  const now = () => new Date().toISOString();
  const cat = (id: string, slug: string, name: string, parentId: string | null, position: number) => ({
    id,
    slug,
    name,
    parentId,
    position,
  });
  const categories = [
    cat('00000000-0000-4000-8000-00000000000a', 'home', 'Home', null, 0),
    cat('00000000-0000-4000-8000-00000000000b', 'kitchen', 'Kitchen', '00000000-0000-4000-8000-00000000000a', 1),
    cat('00000000-0000-4000-8000-00000000000c', 'bedding', 'Bedding', '00000000-0000-4000-8000-00000000000a', 2),
    cat('00000000-0000-4000-8000-00000000000d', 'garden', 'Garden', null, 3),
  ];
  const brands: Brand[] = [
    { id: '00000000-0000-4000-8000-0000000000b1', slug: 'acme', name: 'Acme' },
    { id: '00000000-0000-4000-8000-0000000000b2', slug: 'zenith', name: 'Zenith' },
  ];
  const products: Mutable<Product>[] = [];
  const promotions: Mutable<Promotion>[] = [];
  const calls: Call[] = [];
  const fail = new Map<string, Response>();
  /** What orders' GET /admin/stats answers (every status, as the service lists them). */
  const orderStats = {
    orders: { pending: 0, pending_payment: 0, payment_action_required: 0, processing: 0, confirmed: 3 } as Record<
      string,
      number
    >,
    returns: { requested: 2, approved: 0, rejected: 0, label_created: 1, received: 1, refunding: 0 } as Record<
      string,
      number
    >,
  };

  const tree = (parentId: string | null, path = '/'): CategoryNode[] =>
    categories
      .filter((c) => c.parentId === parentId)
      .map((c) => ({ ...c, path: `${path}${c.slug}/`, children: tree(c.id, `${path}${c.slug}/`) }));
  const productOf = (id: string) => products.find((p) => p.id === id);
  const variantOf = (sku: string) => {
    for (const p of products) {
      const v = p.variants.find((x) => x.sku === sku);
      if (v) return { p, v };
    }
    return undefined;
  };
  const publishable = (p: Mutable<Product>) => p.status !== 'published' || p.variants.some((v) => v.prices.length > 0);

  function addProduct(input: Partial<Product> & { name: string }): Mutable<Product> {
    const p: Mutable<Product> = {
      id: randomUUID(),
      slug: input.slug ?? input.name.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
      name: input.name,
      description: input.description ?? '',
      status: input.status ?? 'draft',
      brand: input.brand ?? null,
      category: input.category ?? null,
      attributes: input.attributes ?? {},
      images: [...(input.images ?? [])],
      variants: [...(input.variants ?? [])].map((v) => ({ ...v, prices: [...v.prices] })) as never,
      createdAt: now(),
      updatedAt: now(),
    };
    products.unshift(p);
    return p;
  }

  function route(method: string, path: string, q: URLSearchParams, body: any): Response {
    let m: RegExpMatchArray | null;
    if (method === 'GET' && path === '/api/catalog/categories') return json(200, { items: tree(null) });
    if (method === 'GET' && path === '/api/catalog/brands') return json(200, { items: brands });
    // Products (the staff list: any status; q = words each in the name, slug or a SKU; a category's subtree)
    if (path === '/api/catalog/admin/products' && method === 'GET') {
      const status = q.get('status');
      const limit = Number(q.get('limit') ?? 50);
      const words = (q.get('q') ?? '').toLowerCase().split(/\s+/).filter(Boolean);
      const brandId = q.get('brandId');
      const under = (id: string): string[] => [
        id,
        ...categories.filter((c) => c.parentId === id).flatMap((c) => under(c.id)),
      ];
      const inCategory = q.get('categoryId') ? new Set(under(q.get('categoryId') as string)) : null;
      let list = products.filter(
        (p) =>
          (!status || p.status === status) &&
          (!brandId || p.brand?.id === brandId) &&
          (!inCategory || (p.category !== null && inCategory.has(p.category.id))) &&
          words.every((w) =>
            [p.name, p.slug, ...p.variants.map((v) => v.sku)].some((x) => x.toLowerCase().includes(w)),
          ),
      );
      const cursor = q.get('cursor');
      if (cursor) list = list.slice(list.findIndex((p) => p.id === cursor) + 1);
      const page = list.slice(0, limit);
      return json(200, {
        items: page.map(({ id, slug, name, status, updatedAt }) => ({ id, slug, name, status, updatedAt })),
        nextCursor: list.length > limit ? (page[page.length - 1]?.id ?? null) : null,
      });
    }
    if (path === '/api/catalog/admin/stats' && method === 'GET') {
      const count = (status: string) => products.filter((p) => p.status === status).length;
      return json(200, {
        products: {
          total: products.length,
          draft: count('draft'),
          published: count('published'),
          archived: count('archived'),
        },
      });
    }
    if (path === '/api/catalog/admin/products' && method === 'POST') {
      if (!body?.name)
        return problem(422, 'validation_failed', 'bad', { errors: [{ path: 'body.name', message: 'Required' }] });
      const slug =
        body.slug ??
        String(body.name)
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-');
      if (products.some((p) => p.slug === slug))
        return problem(409, 'conflict', 'a product with this slug already exists');
      for (const v of body.variants ?? [])
        if (variantOf(v.sku)) return problem(409, 'conflict', 'a variant with this sku already exists');
      const brand = brands.find((b) => b.id === body.brandId) ?? null;
      const c = categories.find((x) => x.id === body.categoryId);
      const p = addProduct({
        ...body,
        slug,
        brand,
        category: c ? { id: c.id, slug: c.slug, name: c.name, path: `/${c.slug}/` } : null,
        variants: (body.variants ?? []).map((v: any, i: number) => ({
          id: randomUUID(),
          sku: v.sku,
          options: v.options ?? {},
          position: i,
          prices: (v.prices ?? []).map((x: any) => ({
            currency: x.currency,
            amount: x.amount,
            compareAt: x.compareAt ?? null,
          })),
        })),
      });
      if (!publishable(p)) {
        products.shift();
        return problem(409, 'conflict', `product ${p.slug} needs a variant with a price before it can be published`);
      }
      return json(201, p);
    }
    m = path.match(/^\/api\/catalog\/admin\/products\/([^/]+)$/);
    if (m) {
      const p = productOf(m[1] as string);
      if (!p) return problem(404, 'not_found', 'no product');
      if (method === 'GET') return json(200, p);
      if (method === 'DELETE') {
        products.splice(products.indexOf(p), 1);
        return new Response(null, { status: 204 });
      }
      if (method === 'PATCH') {
        if (body.slug && products.some((x) => x !== p && x.slug === body.slug))
          return problem(409, 'conflict', 'a product with this slug already exists');
        if (Array.isArray(body.images) && body.images.length > 10)
          return problem(422, 'validation_failed', 'bad', {
            errors: [{ path: 'body.images', message: 'Too big: expected array to have <=10 items' }],
          });
        const next = { ...p, ...body };
        if (!publishable(next))
          return problem(409, 'conflict', `product ${p.slug} needs a variant with a price before it can be published`);
        if ('brandId' in body) p.brand = brands.find((b) => b.id === body.brandId) ?? null;
        for (const k of ['name', 'slug', 'description', 'status', 'attributes', 'images'] as const)
          if (body[k] !== undefined) (p as any)[k] = body[k];
        p.updatedAt = now();
        return json(200, p);
      }
    }
    m = path.match(/^\/api\/catalog\/admin\/products\/([^/]+)\/variants$/);
    if (m && method === 'POST') {
      const p = productOf(m[1] as string);
      if (!p) return problem(404, 'not_found', 'no product');
      if (variantOf(body.sku)) return problem(409, 'conflict', 'a variant with this sku already exists');
      p.variants.push({
        id: randomUUID(),
        sku: body.sku,
        options: body.options ?? {},
        position: p.variants.length,
        prices: body.prices ?? [],
      } as never);
      return json(201, p);
    }
    m = path.match(/^\/api\/catalog\/admin\/variants\/([^/]+)$/);
    if (m) {
      const found = variantOf(decodeURIComponent(m[1] as string));
      if (!found) return problem(404, 'not_found', 'no variant');
      if (method === 'PATCH') {
        (found.v as any).options = body.options;
        return json(200, found.p);
      }
      if (method === 'DELETE') {
        const rest = found.p.variants.filter((v) => v !== found.v);
        if (!publishable({ ...found.p, variants: rest }))
          return problem(
            409,
            'conflict',
            `product ${found.p.slug} needs a variant with a price before it can be published`,
          );
        found.p.variants = rest;
        return new Response(null, { status: 204 });
      }
    }
    m = path.match(/^\/api\/catalog\/admin\/variants\/([^/]+)\/prices\/([A-Z]{3})$/);
    if (m) {
      const found = variantOf(decodeURIComponent(m[1] as string));
      const currency = m[2] as string;
      if (!found) return problem(404, 'not_found', 'no variant');
      const prices = found.v.prices as any[];
      if (method === 'PUT') {
        const price = { currency, amount: body.amount, compareAt: body.compareAt ?? null };
        const at = prices.findIndex((x) => x.currency === currency);
        if (at >= 0) prices[at] = price;
        else prices.push(price);
        return json(200, price);
      }
      if (method === 'DELETE') {
        const at = prices.findIndex((x) => x.currency === currency);
        if (at < 0) return problem(404, 'not_found', `no ${currency} price`);
        const removed = prices.splice(at, 1);
        if (!publishable(found.p)) {
          prices.splice(at, 0, ...removed);
          return problem(
            409,
            'conflict',
            `product ${found.p.slug} needs a variant with a price before it can be published`,
          );
        }
        return new Response(null, { status: 204 });
      }
    }
    // Categories and brands
    if (path === '/api/catalog/admin/categories' && method === 'POST') {
      const slug =
        body.slug ??
        String(body.name)
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-');
      if (categories.some((c) => c.slug === slug))
        return problem(409, 'conflict', 'a category with this slug already exists');
      const c = cat(randomUUID(), slug, body.name, body.parentId ?? null, body.position ?? 0);
      categories.push(c);
      return json(201, { ...c, path: `/${slug}/` });
    }
    m = path.match(/^\/api\/catalog\/admin\/categories\/([^/]+)$/);
    if (m) {
      const c = categories.find((x) => x.id === m?.[1]);
      if (!c) return problem(404, 'not_found', 'no category');
      if (method === 'DELETE') {
        if (categories.some((x) => x.parentId === c.id) || products.some((p) => p.category?.id === c.id))
          return problem(409, 'conflict', `category ${c.slug} still has subcategories or products`);
        categories.splice(categories.indexOf(c), 1);
        return new Response(null, { status: 204 });
      }
      if (method === 'PATCH') {
        if (body.parentId === c.id)
          return problem(409, 'conflict', `category ${c.slug} cannot move under itself or its own subcategory`);
        Object.assign(c, body);
        return json(200, { ...c, path: `/${c.slug}/` });
      }
    }
    if (path === '/api/catalog/admin/brands' && method === 'POST') {
      const slug =
        body.slug ??
        String(body.name)
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-');
      if (brands.some((b) => b.slug === slug)) return problem(409, 'conflict', 'a brand with this slug already exists');
      const b = { id: randomUUID(), slug, name: body.name };
      brands.push(b);
      return json(201, b);
    }
    m = path.match(/^\/api\/catalog\/admin\/brands\/([^/]+)$/);
    if (m) {
      const b = brands.find((x) => x.id === m?.[1]);
      if (!b) return problem(404, 'not_found', 'no brand');
      if (method === 'DELETE') {
        if (products.some((p) => p.brand?.id === b.id))
          return problem(409, 'conflict', `brand ${b.slug} is still used by products`);
        brands.splice(brands.indexOf(b), 1);
        return new Response(null, { status: 204 });
      }
      if (method === 'PATCH') {
        Object.assign(b, body);
        return json(200, b);
      }
    }
    // Promotions
    if (path === '/api/cart/admin/promotions') {
      if (method === 'GET') return json(200, { items: promotions, nextCursor: null });
      if (method === 'POST') {
        if (body.code && promotions.some((p) => p.code === body.code))
          return problem(409, 'conflict', 'a promotion with this code already exists');
        const p = { id: randomUUID(), usedCount: 0, createdAt: now(), updatedAt: now(), ...body } as Mutable<Promotion>;
        promotions.unshift(p);
        return json(201, p);
      }
    }
    m = path.match(/^\/api\/cart\/admin\/promotions\/([^/]+)$/);
    if (m) {
      const p = promotions.find((x) => x.id === m?.[1]);
      if (!p) return problem(404, 'not_found', 'no such promotion');
      if (method === 'GET') return json(200, p);
      if (method === 'PATCH') {
        Object.assign(p, body, { updatedAt: now() });
        return json(200, p);
      }
    }
    if (method === 'GET' && path === '/api/orders/admin/returns') return json(200, { items: [], nextCursor: null });
    if (method === 'GET' && path === '/api/orders/admin/stats') return json(200, orderStats);
    if (method === 'GET' && path === '/api/orders/admin/orders') return json(200, { items: [], nextCursor: null });
    return problem(404, 'not_found', `nothing at ${method} ${path}`);
  }

  async function fetchFake(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const call = readCall(input, init);
    calls.push(call);
    const key = `${call.method} ${call.path}`;
    const prepared = fail.get(key);
    if (prepared) {
      fail.delete(key);
      return prepared;
    }
    return route(call.method, call.path, call.query, call.body);
  }

  return {
    categories,
    brands,
    products,
    promotions,
    calls,
    fail,
    orderStats,
    addProduct,
    fetch: fetchFake,
    problem,
    json,
  };
}

/** Seeded ids: the Home and Kitchen categories and the Acme brand. */
export const HOME = '00000000-0000-4000-8000-00000000000a';
export const KITCHEN = '00000000-0000-4000-8000-00000000000b';
export const ACME = '00000000-0000-4000-8000-0000000000b1';

/** A published product with one variant priced in USD, as the seed would have it. */
export function seedLamp(fake: ReturnType<typeof fakeCatalog>) {
  return fake.addProduct({
    name: 'Brass Lamp',
    slug: 'brass-lamp',
    status: 'published',
    images: [{ url: 'https://img.test/lamp.png', alt: 'A brass lamp' }],
    variants: [
      {
        id: 'v1',
        sku: 'LAMP-1',
        options: { color: 'Gold' },
        position: 0,
        prices: [{ currency: 'USD', amount: 4999, compareAt: null }],
      },
    ],
  });
}

/** The web app against the fake, and request helpers for a signed-in staff member (MFA done). */
export async function catalogApp(opts: { roles?: string[]; mfa?: boolean } = {}) {
  const fake = fakeCatalog();
  const { app, auth } = await appWithGateway(fake.fetch);
  const token = await auth.staffToken(opts.roles ?? ['merchandiser'], { mfa: opts.mfa ?? true });
  // The test token has no CSRF claim, so forms use web's own double-submit cookie.
  const csrf = 'k'.repeat(32);
  const cookie = `sf_at=${token}; sf_gcsrf=${csrf}`;
  return {
    app,
    fake,
    auth,
    csrf,
    cookie,
    get: (path: string, extraCookie = '') =>
      app.request(path, { headers: { cookie: extraCookie ? `${cookie}; ${extraCookie}` : cookie } }),
    post: (
      path: string,
      fields: Record<string, string> | [string, string][],
      opts2: { csrf?: string | null; cookie?: string } = {},
    ) => {
      const form = new URLSearchParams(fields);
      if (opts2.csrf !== null) form.set('_csrf', opts2.csrf ?? csrf);
      return app.request(path, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          cookie: opts2.cookie ? `${cookie}; ${opts2.cookie}` : cookie,
        },
        body: form.toString(),
      });
    },
  };
}

/** The visible text of a page (tags dropped, entities decoded, whitespace collapsed). */
export function text(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/\s+/g, ' ');
}

/** The error message rendered next to a field (by its input id), if any. */
export function fieldError(html: string, id: string): string | undefined {
  const m = html.match(new RegExp(`id="${id}-err"[^>]*>([^<]*)<`));
  return m?.[1];
}
