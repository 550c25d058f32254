import { ProductGrid } from './components.tsx';
import { Facets } from './facets.tsx';
import type { ListingData } from './listing-api.ts';
import {
  cap,
  href,
  type Listing,
  type ListingResult,
  params,
  priceLabel,
  ratingLabel,
  SORT_LABEL,
  SORTS,
  without,
} from './listing-query.ts';

/**
 * The results column of a listing: count, sort, the active filters as links that remove them, the
 * product grid and keyset pages (`cursor`), with the facets beside it.
 */

function ActiveFilters(props: { path: string; q: Listing; result: ListingResult }) {
  const { q, path, result } = props;
  const chips: { label: string; href: string }[] = [];
  for (const b of q.brand) {
    const name = result.facets.brands.find((x) => x.slug === b)?.name ?? b;
    chips.push({ label: `Brand: ${name}`, href: href(path, params(without(q, { brand: b }))) });
  }
  if (q.price) {
    const [min, max] = q.price.split('-');
    chips.push({
      label: `Price: ${priceLabel(Number(min), max ? Number(max) : null, result.facets.price.currency)}`,
      href: href(path, params(q, { price: undefined })),
    });
  }
  for (const [k, vs] of Object.entries(q.attrs)) {
    for (const v of vs)
      chips.push({ label: `${cap(k)}: ${cap(v)}`, href: href(path, params(without(q, { attr: [k, v] }))) });
  }
  if (q.inStock) chips.push({ label: 'In stock only', href: href(path, params(q, { inStock: undefined })) });
  if (q.minRating) {
    chips.push({ label: `Rating: ${ratingLabel(q.minRating)}`, href: href(path, params(q, { minRating: undefined })) });
  }
  if (chips.length === 0) return null;
  const clear = new URLSearchParams();
  if (q.q) clear.set('q', q.q);
  return (
    <div class="active-filters">
      <span class="visually-hidden" id="active-filters-title">
        Active filters
      </span>
      <ul aria-labelledby="active-filters-title">
        {chips.map((chip) => (
          <li>
            <a class="chip" href={chip.href}>
              {chip.label} <span aria-hidden="true">✕</span>
              <span class="visually-hidden"> (remove)</span>
            </a>
          </li>
        ))}
        <li>
          <a href={href(path, clear)}>Clear all filters</a>
        </li>
      </ul>
    </div>
  );
}

function SortForm(props: { path: string; q: Listing; search: boolean }) {
  const { q } = props;
  const keep = params(q, { sort: undefined });
  const ranked = props.search || Boolean(q.q);
  return (
    <form method="get" action={props.path} data-autosubmit class="sort-form inline-form">
      {[...keep.entries()].map(([k, v]) => (
        <input type="hidden" name={k} value={v} />
      ))}
      <label for="f-sort">Sort by</label>
      <select id="f-sort" name="sort">
        {SORTS.filter((s) => ranked || s !== 'relevance').map((s) => (
          <option value={s} selected={(q.sort ?? (ranked ? 'relevance' : 'newest')) === s}>
            {SORT_LABEL[s]}
          </option>
        ))}
      </select>
      <button type="submit" class="secondary">
        Sort
      </button>
    </form>
  );
}

export function Results(props: { path: string; q: Listing; data: ListingData; search: boolean; label: string }) {
  const { q, path } = props;
  const { result, broad, rating } = props.data;
  const shown = result.items.length;
  return (
    <div class="listing">
      <Facets path={path} q={q} result={result} broad={broad} rating={rating} search={props.search} />
      <section aria-labelledby="results-title">
        <h2 id="results-title" class="visually-hidden">
          {props.label}
        </h2>
        <div class="toolbar">
          <p class="muted" role="status">
            {result.total === 1 ? '1 product' : `${result.total.toLocaleString('en-US')} products`}
            {q.cursor ? ' (more results)' : ''}
          </p>
          <a class="filters-link" href="#filters-title">
            Filters
          </a>
          <SortForm path={path} q={q} search={props.search} />
        </div>
        <ActiveFilters path={path} q={q} result={result} />
        {shown > 0 ? <ProductGrid items={result.items} label={props.label} /> : null}
        <nav class="pager" aria-label="Pages">
          {q.cursor ? <a href={href(path, params(q))}>← First page</a> : null}
          {q.cursor && result.nextCursor ? ' · ' : null}
          {result.nextCursor ? (
            <a href={href(path, params(q, { cursor: result.nextCursor }))} rel="next">
              More results →
            </a>
          ) : null}
        </nav>
      </section>
    </div>
  );
}
