import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRequest, Load, Scenario, ScenarioContext, Target } from '../types.ts';

/**
 * Server-side rendering of the shop's pages through the gateway, on the whole platform as
 * `npm start` runs it (web → gateway → catalog and the rest, Postgres, Redis, NATS): the home page,
 * a category page, a search and a product page, each on its own (one row each) and the four in
 * turn (`web-render`). Slugs are real ones from the seeded catalog, found in setup.
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const BENCH_WEB_DATA_DIR = join('.data', 'bench-web');
/** Written by the launcher (LAUNCHER_READY_FILE) once every service answered ready. */
export const readyFileFor = (gatewayPort: string) => join(ROOT, BENCH_WEB_DATA_DIR, `ready-${gatewayPort}.json`);

// Not imported from web-render-target.ts: loading that module starts the platform. The gateway's
// /healthz answers before web is up; setup waits for the launcher's own ready report.
const target: Target = {
  kind: 'spawn',
  entry: new URL('./web-render-target.ts', import.meta.url),
  ready: '/healthz',
  readySeconds: 300,
  // Every service listens at its usual port (8080–8093 today) shifted by the gateway's; room to grow.
  ports: 32,
};
// A page calls several services; the default --rate (500/s) is beyond a small machine, and a
// fixed rate the target cannot keep makes its latency a queue length.
const loads: readonly Load[] = [{ mode: 'max' }, { mode: 'fixed', rate: 50 }];
const asBrowser = { accept: 'text/html,application/xhtml+xml', 'accept-encoding': 'gzip, deflate, br' };

const PAGES = {
  home: () => '/',
  category: (ctx: ScenarioContext) => `/c/${ctx.vars.get('category')}`,
  search: () => '/search?q=headphones',
  product: (ctx: ScenarioContext) => `/p/${ctx.vars.get('product')}`,
} as const;
type PageName = keyof typeof PAGES;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitForPlatform(ctx: ScenarioContext): Promise<void> {
  const file = readyFileFor(new URL(ctx.baseUrl).port);
  const deadline = Date.now() + 180_000;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`the launcher did not report ready within 180 s (${file})`);
    await sleep(250);
  }
  const { failed } = JSON.parse(readFileSync(file, 'utf8')) as { failed: string[] };
  if (failed.length) throw new Error(`not ready: ${failed.join(', ')}`);
}

async function getJson<T>(ctx: ScenarioContext, path: string): Promise<T> {
  const res = await fetch(`${ctx.baseUrl}${path}`);
  if (!res.ok) throw new Error(`GET ${path} answered ${res.status}`);
  return (await res.json()) as T;
}

interface Category {
  readonly slug: string;
  readonly children: readonly Category[];
}
const flatten = (cs: readonly Category[]): Category[] => cs.flatMap((c) => [c, ...flatten(c.children)]);

async function setup(ctx: ScenarioContext, pages: readonly PageName[]): Promise<void> {
  await waitForPlatform(ctx);
  const categories = flatten((await getJson<{ items: Category[] }>(ctx, '/api/catalog/categories')).items);
  const category = categories.find((c) => c.slug === 'headphones') ?? categories.find((c) => c.children.length === 0);
  if (!category) throw new Error('the seeded catalog has no categories');
  type Products = { items: { slug: string }[] };
  const product =
    (await getJson<Products>(ctx, '/api/catalog/products?q=headphones&limit=1')).items[0] ??
    (await getJson<Products>(ctx, '/api/catalog/products?limit=1')).items[0];
  if (!product) throw new Error('the seeded catalog has no products');
  ctx.vars.set('category', category.slug);
  ctx.vars.set('product', product.slug);
  // Each page once: one web does not render yet fails here with its status, not as non-2xx rows.
  const paths = pages.map((p) => PAGES[p](ctx));
  for (const path of paths) {
    const res = await fetch(`${ctx.baseUrl}${path}`, { headers: asBrowser });
    const type = res.headers.get('content-type') ?? '';
    await res.body?.cancel();
    if (!res.ok || !type.startsWith('text/html')) throw new Error(`GET ${path} answered ${res.status} ${type}`);
  }
  ctx.log(`  pages: ${paths.join('  ')}`);
}

const scenario = (name: string, description: string, pages: readonly PageName[]): Scenario => ({
  name,
  description,
  target,
  requests: (ctx): BenchRequest[] => pages.map((p) => ({ path: PAGES[p](ctx), headers: asBrowser })),
  loads,
  setup: (ctx) => setup(ctx, pages),
});

export const webRender: readonly Scenario[] = [
  scenario('web-render', 'home, category, search and product pages in turn, rendered by web via the gateway', [
    'home',
    'category',
    'search',
    'product',
  ]),
  scenario('web-render-home', 'GET / (the shop home: featured products, content slots) via the gateway', ['home']),
  scenario('web-render-category', 'GET /c/:slug (a category page: listing, facets, sort) via the gateway', [
    'category',
  ]),
  scenario('web-render-search', 'GET /search?q=headphones (results and facets) via the gateway', ['search']),
  scenario('web-render-product', 'GET /p/:slug (a product page: variants, price, stock) via the gateway', ['product']),
];
