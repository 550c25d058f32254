import type { Context } from 'hono';
import { z } from 'zod';
import type { WebEnv } from '../env.ts';
import { Field, Notice, Pager } from '../ui.tsx';
import { parseQuery } from '../validate.ts';
import { CheckField, type Errors, Flash, SelectField, withQuery } from './ops-common.tsx';
import {
  DONE,
  LOCATION_RE,
  loadLocations,
  locationOptions,
  nameOf,
  SECTION,
  SKU_RE,
  StockCells,
  StockHeads,
  type StockRow,
  SubNav,
  skuPath,
} from './ops-inventory-shared.tsx';
import { renderAdmin } from './shell.tsx';

/** The stock list: rows by SKU and location, filtered by SKU prefix, exact SKU, location and low stock. */

const ListQuery = z.object({
  q: z.string().trim().max(200).optional(),
  sku: z.string().trim().max(200).optional(),
  location: z.string().trim().max(200).optional(),
  low: z.string().max(10).optional(),
  cursor: z.string().max(200).optional(),
  done: z.string().max(40).optional(),
});
/** The start of a SKU, as the inventory API's `q` takes it (matched case-insensitively). */
const SKU_PREFIX_RE = /^[A-Za-z0-9._-]{1,64}$/;
const CURSOR_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}@[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** The checkbox sends "on"; a hand-written link may say 1 or true. Anything else is off. */
const isOn = (v: string | undefined) => v === 'on' || v === '1' || v === 'true';

export async function stockList(c: Context<WebEnv>) {
  const q = parseQuery(c, ListQuery);
  const errors: Errors = {};
  if (q.q && !SKU_PREFIX_RE.test(q.q)) {
    errors.q = 'Search by the start of a SKU: letters, digits, dot, dash or underscore (up to 64).';
  }
  if (q.sku && !SKU_RE.test(q.sku)) errors.sku = 'A SKU is letters, digits, dot, dash or underscore (up to 64).';
  if (q.location && !LOCATION_RE.test(q.location)) errors.location = 'Choose a location from the list.';
  const low = isOn(q.low);
  // The API's cursor format (sku@location); anything else starts from the first page.
  const cursor = q.cursor && q.cursor.length <= 120 && CURSOR_RE.test(q.cursor) ? q.cursor : undefined;
  const locations = await loadLocations(c);
  const api = c.get('api');
  const page =
    Object.keys(errors).length === 0
      ? await api.get<{ items: StockRow[]; nextCursor: string | null }>(c, '/api/inventory/stock', {
          q: q.q || undefined,
          sku: q.sku || undefined,
          location: q.location || undefined,
          low: low ? 'true' : undefined,
          after: cursor,
          limit: 50,
        })
      : { items: [], nextCursor: null };
  return renderAdmin(c, {
    title: 'Inventory',
    section: SECTION,
    status: Object.keys(errors).length ? 400 : 200,
    children: (
      <>
        <h1>Inventory</h1>
        <SubNav current="stock" />
        <Flash done={q.done} messages={DONE} />
        <search>
          <form method="get" action="/admin/inventory" class="ops-filters" aria-label="Filter stock">
            <Field
              label="SKU starts with"
              name="q"
              type="search"
              value={q.q}
              error={errors.q}
              maxlength={64}
              hint="Any case, e.g. pxl-p7"
            />
            <Field
              label="SKU"
              name="sku"
              value={q.sku}
              error={errors.sku}
              maxlength={64}
              hint="The exact SKU, e.g. PXL-P7-128-BLK"
            />
            <SelectField
              label="Location"
              name="location"
              options={locationOptions(locations)}
              value={q.location}
              error={errors.location}
              empty="All locations"
            />
            <CheckField label="Low stock only" name="low" checked={low} />
            <button type="submit">Show stock</button>
          </form>
        </search>
        {Object.keys(errors).length ? <Notice tone="error">Please correct the filter.</Notice> : null}
        {q.sku && SKU_RE.test(q.sku) ? (
          <p>
            <a href={skuPath(q.sku)}>Adjust, transfer and see the movements of {q.sku} →</a>
          </p>
        ) : null}
        {page.items.length === 0 ? (
          <p>{low ? 'No stock rows match that are at or below their low-stock threshold.' : 'No stock rows match.'}</p>
        ) : (
          <table class="responsive">
            <caption class="visually-hidden">
              {low ? 'Low stock by SKU and location (at or below the threshold)' : 'Stock by SKU and location'}
            </caption>
            <thead>
              <tr>
                <th scope="col">SKU</th>
                <th scope="col">Location</th>
                <StockHeads />
              </tr>
            </thead>
            <tbody>
              {page.items.map((r) => (
                <tr>
                  <td data-label="SKU">
                    <a href={skuPath(r.sku)}>{r.sku}</a>
                  </td>
                  <td data-label="Location">{nameOf(locations, r.location)}</td>
                  <StockCells row={r} />
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Pager next={page.nextCursor} base={withQuery(c, { cursor: undefined })} label="More stock" />
      </>
    ),
  });
}
