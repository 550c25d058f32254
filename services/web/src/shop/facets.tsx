import {
  cap,
  href,
  type Listing,
  type ListingResult,
  params,
  priceLabel,
  RATING_LEVELS,
  type RatingFacet,
  ratingLabel,
} from './listing-query.ts';

/**
 * The filters beside a listing: category links (search only) and one plain GET form of checkboxes
 * and radios, applied by its button (shop.js applies them on change).
 */

const Count = (props: { n: number | undefined }) =>
  props.n === undefined ? null : <span class="muted"> ({props.n})</span>;

/**
 * "4★ & up" … as radios: the star is shown, "4 stars & up" is what the label says to a screen
 * reader. Levels no result reaches are left out, unless chosen.
 */
function RatingFieldset(props: { q: Listing; levels: RatingFacet | undefined }) {
  const { q } = props;
  const count = (min: string) => props.levels?.find((l) => String(l.min) === min)?.count;
  const shown = RATING_LEVELS.filter((min) => (count(min) ?? 0) > 0 || q.minRating === min);
  if (shown.length === 0) return null;
  return (
    <fieldset class="rating-facet">
      <legend>Customer rating</legend>
      <label class="inline-choice block">
        <input type="radio" name="minRating" value="" checked={!q.minRating} /> Any rating
      </label>
      {shown.map((min) => (
        <label class="inline-choice block">
          <input type="radio" name="minRating" value={min} checked={q.minRating === min} />{' '}
          <span aria-hidden="true">{min}★ &amp; up</span>
          <span class="visually-hidden">{ratingLabel(min)}</span>
          <Count n={count(min)} />
        </label>
      ))}
    </fieldset>
  );
}

export function Facets(props: {
  path: string;
  q: Listing;
  result: ListingResult;
  broad: ListingResult | undefined;
  rating: RatingFacet | undefined;
  search: boolean;
}) {
  const { q, result, path } = props;
  const f = result.facets;
  const currency = f.price.currency;
  const brands: { slug: string; name: string; count: number | undefined }[] = [...f.brands];
  for (const b of props.broad?.facets.brands ?? []) {
    if (!brands.some((x) => x.slug === b.slug)) brands.push({ slug: b.slug, name: b.name, count: undefined });
  }
  for (const b of q.brand) if (!brands.some((x) => x.slug === b)) brands.push({ slug: b, name: b, count: undefined });
  const attrFacets = [...f.attributes];
  for (const a of props.broad?.facets.attributes ?? []) {
    if (!attrFacets.some((x) => x.key === a.key)) attrFacets.push({ key: a.key, values: [] });
  }
  const attrs = attrFacets.slice(0, 6).map((a) => {
    const values = a.values.slice(0, 10).map((v) => v.value);
    const broad = props.broad?.facets.attributes.find((x) => x.key === a.key)?.values ?? [];
    for (const v of broad) if (values.length < 10 && !values.includes(v.value)) values.push(v.value);
    for (const v of q.attrs[a.key] ?? []) if (!values.includes(v)) values.unshift(v);
    return { key: a.key, values: values.map((v) => ({ value: v, count: a.values.find((x) => x.value === v)?.count })) };
  });
  const inStockSupported = typeof f.inStock === 'number';
  return (
    <aside class="facets" aria-labelledby="filters-title">
      <h2 id="filters-title">Filters</h2>
      {props.search && f.categories.length > 0 ? (
        <nav aria-label="Categories in the results">
          <h3>Category</h3>
          <ul>
            {q.category ? (
              <li>
                <a href={href(path, params(q, { category: undefined }))}>All categories</a>
              </li>
            ) : null}
            {f.categories.slice(0, 12).map((cat) => (
              <li>
                {cat.slug === q.category ? (
                  <strong aria-current="true">{cat.name}</strong>
                ) : (
                  <a href={href(path, params(q, { category: cat.slug }))}>{cat.name}</a>
                )}{' '}
                <span class="muted">({cat.count})</span>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      <form method="get" action={path} data-autosubmit class="facet-form">
        {q.q ? <input type="hidden" name="q" value={q.q} /> : null}
        {props.search && q.category ? <input type="hidden" name="category" value={q.category} /> : null}
        {q.sort ? <input type="hidden" name="sort" value={q.sort} /> : null}
        {inStockSupported || q.inStock ? (
          <fieldset>
            <legend>Availability</legend>
            <label class="inline-choice block">
              <input type="checkbox" name="inStock" value="1" checked={Boolean(q.inStock)} /> In stock only
              {inStockSupported ? <Count n={f.inStock} /> : null}
            </label>
          </fieldset>
        ) : null}
        <RatingFieldset q={q} levels={props.rating} />
        {brands.length > 0 ? (
          <fieldset>
            <legend>Brand</legend>
            {brands.slice(0, 15).map((b) => (
              <label class="inline-choice block">
                <input type="checkbox" name="brand" value={b.slug} checked={q.brand.includes(b.slug)} /> {b.name}
                <Count n={b.count} />
              </label>
            ))}
          </fieldset>
        ) : null}
        {f.price.buckets.length > 0 || q.price ? (
          <fieldset>
            <legend>Price</legend>
            <label class="inline-choice block">
              <input type="radio" name="price" value="" checked={!q.price} /> Any price
            </label>
            {f.price.buckets.map((b) => {
              const value = `${b.min}-${b.max ?? ''}`;
              return (
                <label class="inline-choice block">
                  <input type="radio" name="price" value={value} checked={q.price === value} />{' '}
                  {priceLabel(b.min, b.max, currency)}
                  <Count n={b.count} />
                </label>
              );
            })}
            {q.price && !f.price.buckets.some((b) => `${b.min}-${b.max ?? ''}` === q.price) ? (
              <label class="inline-choice block">
                <input type="radio" name="price" value={q.price} checked /> {(() => {
                  const [min, max] = q.price.split('-');
                  return priceLabel(Number(min), max ? Number(max) : null, currency);
                })()}
              </label>
            ) : null}
          </fieldset>
        ) : null}
        {attrs.map((a) => (
          <fieldset>
            <legend>{cap(a.key)}</legend>
            {a.values.map((v) => (
              <label class="inline-choice block">
                <input
                  type="checkbox"
                  name={`attr.${a.key}`}
                  value={v.value}
                  checked={(q.attrs[a.key] ?? []).includes(v.value)}
                />{' '}
                {cap(v.value)}
                <Count n={v.count} />
              </label>
            ))}
          </fieldset>
        ))}
        <button type="submit" class="secondary">
          Apply filters
        </button>
      </form>
    </aside>
  );
}
