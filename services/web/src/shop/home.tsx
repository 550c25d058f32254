import type { Context } from 'hono';
import { Hono } from 'hono';
import type { WebEnv } from '../env.ts';
import { Main, renderPage } from '../layout.tsx';
import { ProductGrid, Section } from './components.tsx';
import { type ContentSlot, HOME_HERO, HOME_PROMO } from './content.ts';
import type { CategoryNode, ListItem, SearchResult } from './types.ts';

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

/** Best rated first (at least one review), from what the newest list brought. */
function topRated(items: readonly ListItem[], n: number): ListItem[] {
  return items
    .filter((i) => i.rating.count > 0 && i.rating.average !== null)
    .sort((a, b) => (b.rating.average ?? 0) - (a.rating.average ?? 0) || b.rating.count - a.rating.count)
    .slice(0, n);
}

async function home(c: Context<WebEnv>): Promise<Response> {
  const api = c.get('api');
  // Two calls: the category tree (the gateway caches it) and one page of the newest products.
  const [cats, newest] = await Promise.all([
    api.call<{ items: CategoryNode[] }>(c, 'GET', '/api/catalog/categories', { credentials: false }),
    api.call<SearchResult>(c, 'GET', '/api/catalog/products', {
      query: { sort: 'newest', limit: 48, currency: c.get('config').SHOP_CURRENCY },
      credentials: false,
    }),
  ]);
  const tree = cats.ok ? (cats.body.items ?? []) : [];
  const items = newest.ok ? newest.body.items : [];
  const fresh = items.slice(0, 10);
  const rated = topRated(items.slice(10), 5);
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
