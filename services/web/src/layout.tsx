import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { WebEnv } from './env.ts';
import { sessionSecondsLeft } from './session.ts';

export interface NavCategory {
  readonly slug: string;
  readonly name: string;
}

export interface PageOptions {
  readonly title: string;
  readonly children: Child;
  /** HTTP status of the page (default 200). */
  readonly status?: 200 | 201 | 400 | 401 | 403 | 404 | 409 | 410 | 422 | 429 | 500 | 502 | 503;
  /** Extra scripts from /assets (e.g. 'shop.js'); app.js is always there. */
  readonly scripts?: readonly string[];
  /** The admin console has its own navigation. */
  readonly area?: 'shop' | 'account' | 'admin';
  readonly description?: string;
  /** Reload the page after this many seconds (live order status without script). */
  readonly refreshSeconds?: number;
  /** Never cache: always when signed in; by default outside the shop; `true` for a page with a form's answer. */
  readonly noStore?: boolean;
}

const ADMIN_ROLES = new Set(['admin', 'support', 'merchandiser', 'fulfillment']);

/** Top-level categories for the header; the gateway caches the tree, and a failure only hides the menu. */
async function navCategories(c: Context<WebEnv>): Promise<NavCategory[]> {
  const r = await c.get('api').call<{ items: NavCategory[] }>(c, 'GET', '/api/catalog/categories', {
    credentials: false,
  });
  return r.ok && Array.isArray(r.body?.items) ? r.body.items.slice(0, 8) : [];
}

/** Number of items in the cart, as last written by a cart page (a hint for the header only). */
function cartCount(c: Context<WebEnv>): number {
  const raw = c.req.header('cookie')?.match(/(?:^|;\s*)sf_cart_n=(\d{1,4})/)?.[1];
  return raw ? Number(raw) : 0;
}

function Header(props: { c: Context<WebEnv>; categories: NavCategory[]; area: string }) {
  const { c, categories } = props;
  const viewer = c.get('viewer');
  const shopName = c.get('config').SHOP_NAME;
  const q = c.req.query('q') ?? '';
  const staff = viewer?.roles.some((r) => ADMIN_ROLES.has(r));
  const count = cartCount(c);
  return (
    <header class="site-header">
      <div class="bar">
        <a class="brand" href="/">
          <span aria-hidden="true">◆</span> {shopName}
        </a>
        <search class="search">
          <form action="/search" method="get" data-suggest="/api/catalog/suggest">
            <label for="site-search" class="visually-hidden">
              Search products
            </label>
            <input
              id="site-search"
              name="q"
              type="search"
              value={q}
              placeholder="Search products"
              autocomplete="off"
              aria-autocomplete="list"
              aria-controls="site-search-suggestions"
              maxlength={200}
            />
            <button type="submit">Search</button>
            <div id="site-search-suggestions" class="suggestions" role="listbox" hidden aria-label="Suggestions" />
          </form>
        </search>
        <nav class="account-nav" aria-label="Account">
          {staff ? <a href="/admin">Admin</a> : null}
          {viewer ? <a href="/account">Account</a> : <a href="/account/sign-in">Sign in</a>}
          <a href="/cart" class="cart-link">
            Cart{count > 0 ? <span class="badge">{count}</span> : null}
            {count > 0 ? <span class="visually-hidden"> ({count} items)</span> : null}
          </a>
        </nav>
      </div>
      {categories.length > 0 ? (
        <nav class="categories" aria-label="Categories">
          <ul>
            {categories.map((cat) => (
              <li>
                <a href={`/c/${encodeURIComponent(cat.slug)}`}>{cat.name}</a>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
    </header>
  );
}

/** The whole HTML document around a page; every page goes through here. */
export async function renderPage(c: Context<WebEnv>, opts: PageOptions): Promise<Response> {
  const nonce = c.get('nonce');
  const area = opts.area ?? 'shop';
  const categories = area === 'admin' ? [] : await navCategories(c);
  const shopName = c.get('config').SHOP_NAME;
  const expired = c.get('sessionExpired');
  const sessionLeft = sessionSecondsLeft(c);
  // Signed in is always no-store (the page names the account and carries its CSRF token), even
  // when a page says `noStore: false`; that only lets a guest's page outside the shop be kept.
  const noStore = opts.noStore === true || Boolean(c.get('viewer')) || (opts.noStore !== false && area !== 'shop');
  if (noStore) {
    c.header('cache-control', 'no-store');
  } else if (!c.res.headers.get('cache-control')) {
    // A guest's page carries the guest's own CSRF token in its forms (and often a Set-Cookie for
    // it): the browser may keep it, a shared cache (a CDN in front) must not hand it to others.
    c.header('cache-control', 'private');
  }
  const scripts = ['app.js', ...(opts.scripts ?? [])];
  const page = (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${opts.title} · ${shopName}`}</title>
        {opts.description ? <meta name="description" content={opts.description} /> : null}
        {opts.refreshSeconds ? <meta http-equiv="refresh" content={String(opts.refreshSeconds)} /> : null}
        {expired ? <meta name="sf-session" content="expired" /> : null}
        {sessionLeft !== undefined ? <meta name="sf-session-ttl" content={String(sessionLeft)} /> : null}
        <meta name="theme-color" content="#1f3a5f" />
        <link rel="manifest" href="/manifest.webmanifest" />
        <link rel="icon" href="/assets/icon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/assets/app.css" />
        {scripts.map((s) => (
          <script src={`/assets/${s}`} defer nonce={nonce} />
        ))}
      </head>
      <body class={`area-${area}`}>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        {area === 'admin' ? null : <Header c={c} categories={categories} area={area} />}
        {opts.children}
        <footer class="site-footer">
          <p>
            © {shopName} · <a href="/account/orders">Your orders and returns</a> · <a href="/account">Your account</a>
          </p>
        </footer>
      </body>
    </html>
  );
  return c.html(`<!doctype html>${await page.toString()}`, opts.status ?? 200);
}

/** `<main>` with the id the skip link targets. */
export function Main(props: { children?: Child; class?: string }) {
  return (
    <main id="main" class={props.class} tabindex={-1}>
      {props.children}
    </main>
  );
}
