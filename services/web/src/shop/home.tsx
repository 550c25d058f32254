import type { Context } from 'hono';
import { Hono } from 'hono';
import type { WebEnv } from '../env.ts';
import { Main, renderPage } from '../layout.tsx';
import { ProductGrid, Section } from './components.tsx';
import { type ContentSlot, HOME_HERO, HOME_PROMO } from './content.ts';
import type { CategoryNode, SearchResult } from './types.ts';

function Slot(props: { slot: ContentSlot; hero?: boolean }) {
  const s = props.slot;
  const id = `${s.id}-title`;
  return (
    <section class={props.hero ? 'hero' : 'promo-slot'} aria-labelledby={id}>
      {s.eyebrow ? <p class="eyebrow">{s.eyebrow}</p> : null}
      {props.hero ? <h1 id={id}>{s.heading}</h1> : <h2 id={id}>{s.heading}</h2>}
      <p>{s.text}</p>
      <p>
        <a class="button" href={s.cta.href}>
          {s.cta.label}
        </a>
        {s.secondary ? (
          <>
            {' '}
            <a class="button secondary" href={s.secondary.href}>
              {s.secondary.label}
            </a>
          </>
        ) : null}
      </p>
    </section>
  );
}

async function home(c: Context<WebEnv>): Promise<Response> {
  const api = c.get('api');
  // Three calls at once: the category tree, the newest products and the best rated (all cached
  // by the gateway); a product shows once, in "New arrivals" if it is in both.
  const currency = c.get('config').SHOP_CURRENCY;
  const [cats, newest, top] = await Promise.all([
    api.call<{ items: CategoryNode[] }>(c, 'GET', '/api/catalog/categories', { credentials: false }),
    api.call<SearchResult>(c, 'GET', '/api/catalog/products', {
      query: { sort: 'newest', limit: 10, currency },
      credentials: false,
    }),
    api.call<SearchResult>(c, 'GET', '/api/catalog/products', {
      query: { sort: 'rating', minRating: 1, limit: 15, currency },
      credentials: false,
    }),
  ]);
  const tree = cats.ok ? (cats.body.items ?? []) : [];
  const fresh = newest.ok ? newest.body.items : [];
  const shown = new Set(fresh.map((i) => i.id));
  const rated = (top.ok ? top.body.items : []).filter((i) => !shown.has(i.id)).slice(0, 5);
  return renderPage(c, {
    title: 'Home',
    description: `${c.get('config').SHOP_NAME}: electronics, home, fashion and sports, delivered or picked up in store.`,
    children: (
      <Main class="home-page">
        <Slot slot={HOME_HERO} hero />
        {tree.length > 0 ? (
          <Section title="Shop by category" id="categories-title">
            <ul class="category-tiles">
              {tree.map((t) => (
                <li class="tile">
                  <a href={`/c/${t.slug}`} class="tile-link">
                    {t.name}
                  </a>
                  {t.children?.length ? (
                    <ul class="tile-children">
                      {t.children.slice(0, 5).map((ch) => (
                        <li>
                          <a href={`/c/${ch.slug}`}>{ch.name}</a>
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </li>
              ))}
            </ul>
          </Section>
        ) : null}
        {fresh.length > 0 ? (
          <Section title="New arrivals" id="new-title">
            <ProductGrid items={fresh} />
            <p>
              <a href="/search?sort=newest">See all new arrivals →</a>
            </p>
          </Section>
        ) : (
          <p class="muted">Our products are not available right now. Please try again in a moment.</p>
        )}
        {rated.length > 0 ? (
          <Section title="Customer favourites" id="rated-title">
            <ProductGrid items={rated} />
          </Section>
        ) : null}
        <Slot slot={HOME_PROMO} />
      </Main>
    ),
  });
}

export function homeRoutes(): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.get('/', (c) => home(c));
  return app;
}
