import { Hono } from 'hono';
import type { WebEnv } from '../env.ts';
import { notFoundPage } from '../errors.tsx';
import { Main, renderPage } from '../layout.tsx';
import { Notice } from '../ui.tsx';
import { parseParam } from '../validate.ts';
import { Breadcrumbs } from './components.tsx';
import { categoryIndex, categoryTree, listingData } from './listing-api.ts';
import { href, isFiltered, parseListing, Slug } from './listing-query.ts';
import { Results } from './listing-results.tsx';

/**
 * Category and search pages: one listing with facets as a plain GET form (checkboxes and radios,
 * applied by a button; shop.js applies them on change), sort, keyset pagination (`cursor`), and
 * the active filters as links that remove them. Everything is in the URL, so it works without
 * script and every state can be shared. The URL's schema is listing-query.ts, the catalog calls
 * listing-api.ts, the filters facets.tsx and the results column listing-results.tsx.
 */

export function listingRoutes(): Hono<WebEnv> {
  const app = new Hono<WebEnv>();

  app.get('/c/:slug', async (c) => {
    const slug = parseParam(c.req.param('slug'), Slug);
    if (!slug) return notFoundPage(c, 'category');
    const q = parseListing(c);
    const path = `/c/${slug}`;
    // An unknown category is the API's 404, which the error handler turns into the 404 page.
    const [tree, data] = await Promise.all([
      categoryTree(c),
      listingData(c, `/api/catalog/categories/${slug}/products`, q),
    ]);
    const { result } = data;
    const cats = categoryIndex(tree);
    const here = cats.get(slug);
    if (!here) return notFoundPage(c, 'category');
    const trail: { name: string; href: string }[] = [];
    for (let at: string | undefined = slug; at; at = cats.get(at)?.parent) {
      const n = cats.get(at)?.node;
      if (n) trail.unshift({ name: n.name, href: `/c/${n.slug}` });
    }
    const counts = new Map(result.facets.categories.map((x) => [x.slug, x.count]));
    const children = here.node.children ?? [];
    return renderPage(c, {
      title: here.node.name,
      description: `${here.node.name}: ${result.total} products`,
      scripts: ['shop.js'],
      children: (
        <Main class="listing-page">
          <Breadcrumbs trail={trail} />
          <h1>{here.node.name}</h1>
          {children.length > 0 ? (
            <nav class="subcategories" aria-label={`Categories in ${here.node.name}`}>
              <ul>
                {children.map((ch) => (
                  <li>
                    <a class="chip" href={`/c/${ch.slug}`}>
                      {ch.name}
                      {counts.has(ch.slug) ? <span class="muted"> ({counts.get(ch.slug)})</span> : null}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          ) : null}
          {result.total === 0 ? (
            <Notice tone="info">
              Nothing matches these filters. <a href={path}>Show everything in {here.node.name}</a>.
            </Notice>
          ) : null}
          <Results path={path} q={q} data={data} search={false} label={`Products in ${here.node.name}`} />
        </Main>
      ),
    });
  });

  app.get('/search', async (c) => {
    const q = parseListing(c);
    const path = '/search';
    if (!q.category && !isFiltered(q, { words: true })) {
      const tree = await categoryTree(c).catch(() => []);
      return renderPage(c, {
        title: 'Search',
        children: (
          <Main class="listing-page">
            <h1>Search the shop</h1>
            <search>
              <form method="get" action="/search" class="inline-form big-search">
                <div class="field">
                  <label for="f-q">What are you looking for?</label>
                  <input id="f-q" name="q" type="search" maxlength={200} />
                </div>
                <button type="submit">Search</button>
              </form>
            </search>
            {tree.length ? (
              <>
                <h2>Or browse a category</h2>
                <ul class="category-links">
                  {tree.map((t) => (
                    <li>
                      <a href={`/c/${t.slug}`}>{t.name}</a>
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </Main>
        ),
      });
    }
    const data = await listingData(c, '/api/catalog/products', q);
    const { result } = data;
    let suggestions: string[] = [];
    if (result.total === 0 && q.q) {
      const s = await c.get('api').call<{ terms: string[] }>(c, 'GET', '/api/catalog/suggest', {
        query: { q: q.q.slice(0, 100), limit: 5 },
        credentials: false,
      });
      suggestions = s.ok ? (s.body.terms ?? []).filter((t) => t.toLowerCase() !== q.q?.toLowerCase()) : [];
    }
    const title = q.q ? `Results for “${q.q}”` : 'All products';
    const corrected = result.query.corrected;
    return renderPage(c, {
      title: q.q ? `${q.q} – search` : 'Products',
      scripts: ['shop.js'],
      children: (
        <Main class="listing-page">
          <h1>{title}</h1>
          {corrected && corrected !== q.q ? (
            <Notice tone="info">
              Did you mean <a href={`/search?q=${encodeURIComponent(corrected)}`}>{corrected}</a>? We included results
              for “{corrected}”.
            </Notice>
          ) : null}
          {result.query.matched === 'any' && result.total > 0 ? (
            <Notice tone="info">No product matches every word, so these match some of them.</Notice>
          ) : null}
          {result.total === 0 ? (
            <div class="empty-state">
              <p>
                <strong>We found nothing{q.q ? ` for “${q.q}”` : ''}.</strong>
              </p>
              <ul>
                <li>Check the spelling, or use fewer or more general words.</li>
                {isFiltered(q, { words: false }) ? (
                  <li>
                    <a href={href(path, new URLSearchParams(q.q ? { q: q.q } : {}))}>Search again without filters</a>.
                  </li>
                ) : null}
                {suggestions.length ? (
                  <li>
                    Try:{' '}
                    {suggestions.map((s, i) => (
                      <>
                        {i > 0 ? ', ' : ''}
                        <a href={`/search?q=${encodeURIComponent(s)}`}>{s}</a>
                      </>
                    ))}
                  </li>
                ) : null}
                <li>
                  Browse <a href="/">our categories</a>.
                </li>
              </ul>
            </div>
          ) : (
            <Results path={path} q={q} data={data} search label={title} />
          )}
        </Main>
      ),
    });
  });

  return app;
}
