import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import type { WebEnv } from '../env.ts';
import { notFoundPage } from '../errors.tsx';
import { Field, formatDate, Notice, Pager, PostForm } from '../ui.tsx';
import { parseForm, parseParam, parseQuery } from '../validate.ts';
import {
  CheckField,
  type Errors,
  Flash,
  FormNotice,
  type FormState,
  fieldOf,
  forbidden,
  hasRole,
  humanize,
  KEY_RE,
  newKey,
  type Option,
  refusal,
  SelectField,
  type Values,
  withQuery,
} from './ops-common.tsx';
import { renderAdmin } from './shell.tsx';

/** Inventory for fulfillment staff and admins: stock per SKU and location, adjustments, transfers, thresholds, the ledger, locations. */

export interface Location {
  readonly code: string;
  readonly name: string;
  readonly kind: 'warehouse' | 'store';
  readonly address: Record<string, string>;
  readonly pickupEnabled: boolean;
  readonly priority: number;
}
export interface StockRow {
  readonly sku: string;
  readonly location: string;
  readonly onHand: number;
  readonly reserved: number;
  readonly available: number;
  readonly lowThreshold: number;
  readonly lastCountedAt: string | null;
}
interface Movement {
  readonly id: number;
  readonly sku: string;
  readonly location: string;
  readonly delta: number;
  readonly reason: string;
  readonly ref: string | null;
  readonly actor: string | null;
  readonly note: string | null;
  readonly at: string;
}

export const SKU_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const LOCATION_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const Sku = z.string().regex(SKU_RE);
const LocationCode = z.string().max(32).regex(LOCATION_RE);

const ROLES_TEXT = 'fulfillment';
const SECTION = '/admin/inventory';

const REASONS: readonly Option[] = [
  { value: 'count', label: 'Count (set on hand)' },
  { value: 'receipt', label: 'Receipt (add)' },
  { value: 'damage', label: 'Damage or loss (remove)' },
  { value: 'correction', label: 'Correction (+ or −)' },
];

const DONE = {
  adjusted: 'Stock adjusted.',
  transferred: 'Transfer done.',
  threshold: 'Low-stock threshold saved.',
  'location-created': 'Location opened.',
  'location-saved': 'Location saved.',
};

function SubNav(props: { current: 'stock' | 'locations' }) {
  return (
    <nav class="ops-subnav" aria-label="Inventory">
      <a href="/admin/inventory" aria-current={props.current === 'stock' ? 'page' : undefined}>
        Stock
      </a>
      <a href="/admin/inventory/locations" aria-current={props.current === 'locations' ? 'page' : undefined}>
        Locations
      </a>
    </nav>
  );
}

function StockState(props: { row: StockRow }) {
  const r = props.row;
  if (r.available <= 0) return <span class="stock-out">Out of stock</span>;
  if (r.available <= r.lowThreshold) return <span class="stock-low">Low</span>;
  return <span class="stock-in">In stock</span>;
}

const locationOptions = (locations: readonly Location[]): Option[] =>
  locations.map((l) => ({ value: l.code, label: `${l.name} (${l.code})` }));

const nameOf = (locations: readonly Location[], code: string) => locations.find((l) => l.code === code)?.name ?? code;

async function loadLocations(c: Context<WebEnv>): Promise<Location[]> {
  const r = await c.get('api').get<{ items: Location[] }>(c, '/api/inventory/locations');
  return r.items;
}

// ---------- the stock list ----------

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

async function stockList(c: Context<WebEnv>) {
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
            <a href={`/admin/inventory/sku/${encodeURIComponent(q.sku)}`}>
              Adjust, transfer and see the movements of {q.sku} →
            </a>
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
                <th scope="col" class="num">
                  On hand
                </th>
                <th scope="col" class="num">
                  Reserved
                </th>
                <th scope="col" class="num">
                  Available
                </th>
                <th scope="col" class="num">
                  Low at
                </th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((r) => (
                <tr>
                  <td data-label="SKU">
                    <a href={`/admin/inventory/sku/${encodeURIComponent(r.sku)}`}>{r.sku}</a>
                  </td>
                  <td data-label="Location">{nameOf(locations, r.location)}</td>
                  <td data-label="On hand" class="num">
                    {r.onHand}
                  </td>
                  <td data-label="Reserved" class="num">
                    {r.reserved}
                  </td>
                  <td data-label="Available" class="num">
                    {r.available}
                  </td>
                  <td data-label="Low at" class="num">
                    {r.lowThreshold}
                  </td>
                  <td data-label="State">
                    <StockState row={r} />
                  </td>
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

// ---------- one SKU: rows, adjust, transfer, threshold, movements ----------

const SkuQuery = z.object({
  done: z.string().max(40).optional(),
  mloc: z.string().max(200).optional(),
  before: z.string().max(20).optional(),
});

async function skuPage(c: Context<WebEnv>, sku: string, state?: FormState) {
  const q = parseQuery(c, SkuQuery);
  const api = c.get('api');
  const mloc = q.mloc && LOCATION_RE.test(q.mloc) ? q.mloc : undefined;
  const before = q.before && /^\d{1,15}$/.test(q.before) && Number(q.before) > 0 ? q.before : undefined;
  const [locations, stock, movements] = await Promise.all([
    loadLocations(c),
    api.get<{ items: StockRow[] }>(c, '/api/inventory/stock', { sku, limit: 200 }),
    api.get<{ items: Movement[] }>(c, '/api/inventory/movements', { sku, location: mloc, before, limit: 50 }),
  ]);
  const opts = locationOptions(locations);
  const adjust = fieldOf(state, 'adjust');
  const transfer = fieldOf(state, 'transfer');
  const threshold = fieldOf(state, 'threshold');
  const total = stock.items.reduce((n, r) => n + r.available, 0);
  const oldest = movements.items[movements.items.length - 1];
  return renderAdmin(c, {
    title: `Stock of ${sku}`,
    section: SECTION,
    status: state ? 422 : 200,
    children: (
      <>
        <p class="breadcrumbs">
          <a href="/admin/inventory">← Inventory</a>
        </p>
        <h1>Stock of {sku}</h1>
        <Flash done={state ? undefined : q.done} messages={DONE} />
        <p>
          {total > 0 ? (
            <span class="stock-in">{total} available in total</span>
          ) : (
            <span class="stock-out">Out of stock everywhere</span>
          )}
        </p>
        {stock.items.length === 0 ? (
          <p>This SKU has no stock at any location yet. A receipt or a count creates the row.</p>
        ) : (
          <table class="responsive">
            <caption class="visually-hidden">Stock of {sku} by location</caption>
            <thead>
              <tr>
                <th scope="col">Location</th>
                <th scope="col" class="num">
                  On hand
                </th>
                <th scope="col" class="num">
                  Reserved
                </th>
                <th scope="col" class="num">
                  Available
                </th>
                <th scope="col" class="num">
                  Low at
                </th>
                <th scope="col">State</th>
                <th scope="col">Last counted</th>
              </tr>
            </thead>
            <tbody>
              {stock.items.map((r) => (
                <tr>
                  <td data-label="Location">{nameOf(locations, r.location)}</td>
                  <td data-label="On hand" class="num">
                    {r.onHand}
                  </td>
                  <td data-label="Reserved" class="num">
                    {r.reserved}
                  </td>
                  <td data-label="Available" class="num">
                    {r.available}
                  </td>
                  <td data-label="Low at" class="num">
                    {r.lowThreshold}
                  </td>
                  <td data-label="State">
                    <StockState row={r} />
                  </td>
                  <td data-label="Last counted">{r.lastCountedAt ? formatDate(r.lastCountedAt) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}

        <div class="ops-forms">
          <section aria-labelledby="adjust-h" class="ops-panel">
            <h2 id="adjust-h">Adjust on hand</h2>
            <FormNotice state={state} form="adjust" />
            <PostForm action={`/admin/inventory/sku/${encodeURIComponent(sku)}/adjust`} csrf={c.get('csrf')}>
              <input type="hidden" name="op" value={adjust.value('op') ?? newKey()} />
              <SelectField
                id="adjust-location"
                label="Location"
                name="location"
                options={opts}
                value={adjust.value('location')}
                error={adjust.error('location')}
                required
              />
              <SelectField
                id="adjust-reason"
                label="Reason"
                name="reason"
                options={REASONS}
                value={adjust.value('reason')}
                error={adjust.error('reason')}
                required
              />
              <Field
                id="adjust-quantity"
                label="Quantity"
                name="quantity"
                type="number"
                step={1}
                value={adjust.value('quantity')}
                error={adjust.error('quantity')}
                hint="Units counted, received, damaged, or the ± correction"
                required
              />
              <Field
                id="adjust-note"
                label="Note (optional)"
                name="note"
                value={adjust.value('note')}
                error={adjust.error('note')}
                maxlength={500}
              />
              <button type="submit">Save adjustment</button>
            </PostForm>
          </section>

          <section aria-labelledby="transfer-h" class="ops-panel">
            <h2 id="transfer-h">Transfer between locations</h2>
            <FormNotice state={state} form="transfer" />
            <PostForm action={`/admin/inventory/sku/${encodeURIComponent(sku)}/transfer`} csrf={c.get('csrf')}>
              <input type="hidden" name="op" value={transfer.value('op') ?? newKey()} />
              <SelectField
                id="transfer-from"
                label="From"
                name="from"
                options={opts}
                value={transfer.value('from')}
                error={transfer.error('from')}
                required
              />
              <SelectField
                id="transfer-to"
                label="To"
                name="to"
                options={opts}
                value={transfer.value('to', opts[1]?.value)}
                error={transfer.error('to')}
                required
              />
              <Field
                id="transfer-qty"
                label="Units to move"
                name="qty"
                type="number"
                min={1}
                max={10000}
                step={1}
                value={transfer.value('qty')}
                error={transfer.error('qty')}
                required
              />
              <Field
                id="transfer-note"
                label="Note (optional)"
                name="note"
                value={transfer.value('note')}
                error={transfer.error('note')}
                maxlength={500}
              />
              <button type="submit">Transfer units</button>
            </PostForm>
          </section>

          <section aria-labelledby="threshold-h" class="ops-panel">
            <h2 id="threshold-h">Low-stock threshold</h2>
            <FormNotice state={state} form="threshold" />
            <PostForm action={`/admin/inventory/sku/${encodeURIComponent(sku)}/threshold`} csrf={c.get('csrf')}>
              <SelectField
                id="threshold-location"
                label="Location"
                name="location"
                options={stock.items.map((r) => ({ value: r.location, label: nameOf(locations, r.location) }))}
                value={threshold.value('location')}
                error={threshold.error('location')}
                required
              />
              <Field
                id="threshold-value"
                label="Warn when available falls to"
                name="lowThreshold"
                type="number"
                min={0}
                step={1}
                value={threshold.value('lowThreshold')}
                error={threshold.error('lowThreshold')}
                required
              />
              <button type="submit" disabled={stock.items.length === 0}>
                Save threshold
              </button>
            </PostForm>
          </section>
        </div>

        <section aria-labelledby="movements-h">
          <h2 id="movements-h">Movements</h2>
          <form method="get" class="ops-filters" aria-label="Filter movements">
            <SelectField
              id="movements-location"
              label="Location"
              name="mloc"
              options={opts}
              value={mloc}
              empty="All locations"
            />
            <button type="submit" class="secondary">
              Show movements
            </button>
          </form>
          {movements.items.length === 0 ? (
            <p>No movements{before ? ' before these' : ''}.</p>
          ) : (
            <table class="responsive">
              <caption class="visually-hidden">On-hand changes of {sku}, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Location</th>
                  <th scope="col" class="num">
                    Change
                  </th>
                  <th scope="col">Reason</th>
                  <th scope="col">Reference</th>
                  <th scope="col">By</th>
                  <th scope="col">Note</th>
                </tr>
              </thead>
              <tbody>
                {movements.items.map((m) => (
                  <tr>
                    <td data-label="When">{formatDate(m.at)}</td>
                    <td data-label="Location">{nameOf(locations, m.location)}</td>
                    <td data-label="Change" class="num">
                      {m.delta > 0 ? `+${m.delta}` : String(m.delta)}
                    </td>
                    <td data-label="Reason">{humanize(m.reason)}</td>
                    <td data-label="Reference">{m.ref ?? '—'}</td>
                    <td data-label="By">
                      {m.actor ? <span title={m.actor}>Account {m.actor.replace(/-/g, '').slice(-8)}</span> : 'System'}
                    </td>
                    <td data-label="Note">{m.note ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {oldest && movements.items.length >= 50 ? (
            <nav class="pager" aria-label="Older movements">
              <a href={withQuery(c, { before: String(oldest.id) })} rel="next">
                Older movements →
              </a>
            </nav>
          ) : null}
        </section>
      </>
    ),
  });
}

const AdjustForm = z.object({
  op: z.string().regex(KEY_RE, 'Reload the page and try again.'),
  location: LocationCode.describe('location'),
  reason: z.enum(['count', 'receipt', 'damage', 'correction'], { error: 'Choose a reason.' }),
  quantity: z
    .string()
    .trim()
    .regex(/^[+-]?\d{1,7}$/, 'Enter a whole number.'),
  note: z.string().trim().max(500, 'Keep the note under 500 characters.').optional(),
});

/** The quantity's meaning by reason, as the inventory API takes it. */
function adjustmentBody(
  d: z.infer<typeof AdjustForm>,
  sku: string,
): { body?: Record<string, unknown>; error?: string } {
  const n = Number(d.quantity);
  const base = { id: d.op, sku, location: d.location, ...(d.note ? { note: d.note } : {}) };
  switch (d.reason) {
    case 'count':
      if (n < 0 || n > 1_000_000) return { error: 'A count is between 0 and 1,000,000 units.' };
      return { body: { ...base, reason: 'count', onHand: n } };
    case 'correction':
      if (n === 0 || Math.abs(n) > 10_000) return { error: 'A correction is between −10,000 and 10,000 units, not 0.' };
      return { body: { ...base, reason: 'correction', delta: n } };
    default:
      if (n < 1 || n > 10_000) return { error: 'Enter between 1 and 10,000 units.' };
      return { body: { ...base, reason: d.reason, qty: n } };
  }
}

async function postAdjust(c: Context<WebEnv>, sku: string) {
  const f = await parseForm(c, AdjustForm);
  const values: Values = { ...f.raw, op: KEY_RE.test(f.raw.op ?? '') ? (f.raw.op as string) : newKey() };
  if (!f.ok) return skuPage(c, sku, { form: 'adjust', values, errors: withMessages(f.errors) });
  const { body, error } = adjustmentBody(f.data, sku);
  if (!body) return skuPage(c, sku, { form: 'adjust', values, errors: { quantity: error ?? 'Check the quantity.' } });
  const r = await c.get('api').call<{ replayed: boolean }>(c, 'POST', '/api/inventory/adjustments', { json: body });
  if (!r.ok) {
    const p = r.problem;
    const reserved = typeof p?.reserved === 'number' ? p.reserved : undefined;
    const state = refusal('adjust', values, r, {
      ...(reserved !== undefined
        ? {
            insufficient_stock: `On hand cannot go below the ${reserved} units reserved for orders at this location.`,
          }
        : { insufficient_stock: 'That would leave less stock than is reserved or allowed.' }),
    });
    // Refused for good: a new key, so the corrected form is a new adjustment. Unanswered: keep it (a retry is safe).
    if (r.status < 500) state.values.op = newKey();
    return skuPage(c, sku, remap(state, { onHand: 'quantity', qty: 'quantity', delta: 'quantity' }));
  }
  return c.redirect(`/admin/inventory/sku/${encodeURIComponent(sku)}?done=adjusted`, 303);
}

const TransferForm = z
  .object({
    op: z.string().regex(KEY_RE, 'Reload the page and try again.'),
    from: LocationCode,
    to: LocationCode,
    qty: z
      .string()
      .trim()
      .regex(/^\d{1,5}$/, 'Enter a whole number of units.')
      .transform(Number)
      .pipe(z.number().int().min(1, 'Move at least 1 unit.').max(10_000, 'Move at most 10,000 units at once.')),
    note: z.string().trim().max(500, 'Keep the note under 500 characters.').optional(),
  })
  .refine((t) => t.from !== t.to, { message: 'Choose a different location to move to.', path: ['to'] });

async function postTransfer(c: Context<WebEnv>, sku: string) {
  const f = await parseForm(c, TransferForm);
  const values: Values = { ...f.raw, op: KEY_RE.test(f.raw.op ?? '') ? (f.raw.op as string) : newKey() };
  if (!f.ok) return skuPage(c, sku, { form: 'transfer', values, errors: withMessages(f.errors) });
  const d = f.data;
  const r = await c.get('api').call(c, 'POST', '/api/inventory/transfers', {
    json: { id: d.op, sku, from: d.from, to: d.to, qty: d.qty, ...(d.note ? { note: d.note } : {}) },
  });
  if (!r.ok) {
    const p = r.problem;
    const available = typeof p?.available === 'number' ? p.available : undefined;
    const locations = await loadLocations(c).catch(() => [] as Location[]);
    // The API says which side refused: the source (too few available) or the destination (too many on hand).
    const state = refusal('transfer', values, r, {
      ...(p?.side === 'to'
        ? {
            insufficient_stock: `${nameOf(locations, d.to)} cannot take ${d.qty} more: a location holds at most ${(typeof p.limit === 'number' ? p.limit : 1_000_000_000).toLocaleString('en-US')} units of a SKU.`,
          }
        : available !== undefined
          ? {
              insufficient_stock:
                available === 0
                  ? `Nothing is available to transfer from ${nameOf(locations, d.from)}.`
                  : `Only ${available} available to transfer from ${nameOf(locations, d.from)}.`,
            }
          : {}),
    });
    if (r.status < 500) state.values.op = newKey();
    return skuPage(c, sku, state);
  }
  return c.redirect(`/admin/inventory/sku/${encodeURIComponent(sku)}?done=transferred`, 303);
}

const ThresholdForm = z.object({
  location: LocationCode,
  lowThreshold: z
    .string()
    .trim()
    .regex(/^\d{1,7}$/, 'Enter a whole number of units.')
    .transform(Number)
    .pipe(z.number().int().min(0).max(1_000_000, 'At most 1,000,000.')),
});

async function postThreshold(c: Context<WebEnv>, sku: string) {
  const f = await parseForm(c, ThresholdForm);
  if (!f.ok) return skuPage(c, sku, { form: 'threshold', values: f.raw, errors: withMessages(f.errors) });
  const r = await c
    .get('api')
    .call(c, 'PUT', `/api/inventory/stock/${f.data.location}/${encodeURIComponent(sku)}/threshold`, {
      json: { lowThreshold: f.data.lowThreshold },
    });
  if (!r.ok) {
    return skuPage(
      c,
      sku,
      refusal('threshold', f.raw, r, { not_found: 'This SKU has no stock row at that location yet.' }),
    );
  }
  return c.redirect(`/admin/inventory/sku/${encodeURIComponent(sku)}?done=threshold`, 303);
}

/** zod's generic messages for a bad enum or pattern on a select are not helpful to a person. */
function withMessages(errors: Errors): Errors {
  const out: Errors = {};
  for (const [k, v] of Object.entries(errors)) {
    out[k] =
      ['location', 'from', 'to', 'kind'].includes(k) && !/[A-Z]/.test(v.charAt(0))
        ? 'Choose one from the list.'
        : v.charAt(0).toUpperCase() + v.slice(1);
  }
  return out;
}

function remap(state: FormState, names: Record<string, string>): FormState {
  const errors: Errors = {};
  for (const [k, v] of Object.entries(state.errors)) errors[names[k] ?? k] = v;
  return { ...state, errors };
}

// ---------- locations ----------

const KINDS: readonly Option[] = [
  { value: 'warehouse', label: 'Warehouse' },
  { value: 'store', label: 'Store' },
];

function LocationFields(props: { state: FormState | undefined; form: string; location?: Location; prefix: string }) {
  const f = fieldOf(props.state, props.form);
  const l = props.location;
  const a = l?.address ?? {};
  const id = (n: string) => `${props.prefix}-${n}`;
  return (
    <>
      <Field
        id={id('name')}
        label="Name"
        name="name"
        value={f.value('name', l?.name)}
        error={f.error('name')}
        maxlength={120}
        required
      />
      <SelectField
        id={id('kind')}
        label="Kind"
        name="kind"
        options={KINDS}
        value={f.value('kind', l?.kind)}
        error={f.error('kind')}
        required
      />
      <fieldset>
        <legend>Address</legend>
        <Field
          id={id('line1')}
          label="Street and number"
          name="line1"
          value={f.value('line1', a.line1)}
          error={f.error('address.line1') ?? f.error('line1')}
          maxlength={200}
          required
        />
        <Field
          id={id('line2')}
          label="Address line 2 (optional)"
          name="line2"
          value={f.value('line2', a.line2)}
          error={f.error('address.line2')}
          maxlength={200}
        />
        <Field
          id={id('city')}
          label="City"
          name="city"
          value={f.value('city', a.city)}
          error={f.error('address.city') ?? f.error('city')}
          maxlength={100}
          required
        />
        <Field
          id={id('region')}
          label="Region (optional)"
          name="region"
          value={f.value('region', a.region)}
          error={f.error('address.region')}
          maxlength={100}
        />
        <Field
          id={id('postalCode')}
          label="Postal code"
          name="postalCode"
          value={f.value('postalCode', a.postalCode)}
          error={f.error('address.postalCode') ?? f.error('postalCode')}
          maxlength={20}
          required
        />
        <Field
          id={id('country')}
          label="Country code"
          name="country"
          value={f.value('country', a.country)}
          error={f.error('address.country') ?? f.error('country')}
          maxlength={2}
          hint="Two letters, e.g. US"
          required
        />
      </fieldset>
      <Field
        id={id('priority')}
        label="Priority (optional)"
        name="priority"
        type="number"
        min={0}
        max={1000}
        value={f.value('priority', l ? String(l.priority) : undefined)}
        error={f.error('priority')}
        hint="Lower is preferred when stock is allocated; default 10 for warehouses, 100 for stores"
      />
      <CheckField
        id={id('pickup')}
        label="Offers pickup in store (stores only)"
        name="pickupEnabled"
        checked={
          props.state && props.state.form === props.form
            ? props.state.values.pickupEnabled === 'on'
            : (l?.pickupEnabled ?? false)
        }
      />
      {f.error('pickupEnabled') ? <p class="field-error">{f.error('pickupEnabled')}</p> : null}
    </>
  );
}

async function locationsPage(c: Context<WebEnv>, state?: FormState) {
  const q = parseQuery(c, z.object({ done: z.string().max(40).optional() }));
  const locations = await loadLocations(c);
  const admin = hasRole(c, 'admin');
  const f = fieldOf(state, 'create');
  return renderAdmin(c, {
    title: 'Locations',
    section: SECTION,
    status: state ? 422 : 200,
    children: (
      <>
        <h1>Locations</h1>
        <SubNav current="locations" />
        <Flash done={state ? undefined : q.done} messages={DONE} />
        <table class="responsive">
          <caption class="visually-hidden">Warehouses and stores, preferred first</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Code</th>
              <th scope="col">Kind</th>
              <th scope="col">Pickup</th>
              <th scope="col" class="num">
                Priority
              </th>
              <th scope="col">Address</th>
              {admin ? <th scope="col">Edit</th> : null}
            </tr>
          </thead>
          <tbody>
            {locations.map((l) => (
              <tr>
                <td data-label="Name">{l.name}</td>
                <td data-label="Code">{l.code}</td>
                <td data-label="Kind">{humanize(l.kind)}</td>
                <td data-label="Pickup">{l.pickupEnabled ? 'Yes' : 'No'}</td>
                <td data-label="Priority" class="num">
                  {l.priority}
                </td>
                <td data-label="Address">
                  {[l.address.line1, l.address.city, l.address.postalCode, l.address.country]
                    .filter(Boolean)
                    .join(', ')}
                </td>
                {admin ? (
                  <td data-label="Edit">
                    <a href={`/admin/inventory/locations/${l.code}`}>
                      Edit<span class="visually-hidden"> {l.name}</span>
                    </a>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
        {admin ? (
          <section aria-labelledby="new-location-h" class="ops-panel">
            <h2 id="new-location-h">Open a location</h2>
            <FormNotice state={state} form="create" />
            <PostForm action="/admin/inventory/locations" csrf={c.get('csrf')}>
              <Field
                id="new-code"
                label="Code"
                name="code"
                value={f.value('code')}
                error={f.error('code')}
                maxlength={32}
                hint="Lower-case letters, digits and hyphens, e.g. store-soho; it cannot change later"
                required
              />
              <LocationFields state={state} form="create" prefix="new" />
              <button type="submit">Open location</button>
            </PostForm>
          </section>
        ) : (
          <p class="muted">Only administrators open or change locations.</p>
        )}
      </>
    ),
  });
}

const trimmed = (max: number, msg: string) => z.string().trim().min(1, msg).max(max, `At most ${max} characters.`);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `At most ${max} characters.`)
    .optional()
    .transform((s) => (s ? s : undefined));
const LocationForm = z.object({
  name: trimmed(120, 'Enter a name.'),
  kind: z.enum(['warehouse', 'store'], { error: 'Choose a kind.' }),
  line1: trimmed(200, 'Enter the street and number.'),
  line2: optionalText(200),
  city: trimmed(100, 'Enter the city.'),
  region: optionalText(100),
  postalCode: trimmed(20, 'Enter the postal code.'),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, 'Two letters, e.g. US.'),
  priority: z
    .string()
    .trim()
    .regex(/^(\d{1,4})?$/, 'A whole number from 0 to 1000.')
    .optional()
    .transform((s) => (s ? Number(s) : undefined))
    .pipe(z.number().int().min(0).max(1000, 'A whole number from 0 to 1000.').optional()),
  pickupEnabled: z.literal('on').optional(),
});
const CreateForm = LocationForm.extend({
  code: z
    .string()
    .trim()
    .max(32, 'At most 32 characters.')
    .regex(LOCATION_RE, 'Lower-case letters, digits and single hyphens.'),
});

function locationBody(d: z.infer<typeof LocationForm>) {
  return {
    name: d.name,
    kind: d.kind,
    address: {
      line1: d.line1,
      ...(d.line2 ? { line2: d.line2 } : {}),
      city: d.city,
      ...(d.region ? { region: d.region } : {}),
      postalCode: d.postalCode,
      country: d.country,
    },
    pickupEnabled: d.pickupEnabled === 'on',
    ...(d.priority !== undefined ? { priority: d.priority } : {}),
  };
}

function pickupCheck(d: { kind: string; pickupEnabled?: string | undefined }): Errors {
  return d.pickupEnabled === 'on' && d.kind !== 'store' ? { pickupEnabled: 'Only stores offer pickup.' } : {};
}

async function postLocation(c: Context<WebEnv>) {
  if (!hasRole(c, 'admin')) return forbidden(c, 'Opening a location', 'admin');
  const f = await parseForm(c, CreateForm);
  if (!f.ok) return locationsPage(c, { form: 'create', values: f.raw, errors: withMessages(f.errors) });
  const pickup = pickupCheck(f.data);
  if (Object.keys(pickup).length) return locationsPage(c, { form: 'create', values: f.raw, errors: pickup });
  const r = await c.get('api').call(c, 'POST', '/api/inventory/locations', {
    json: { code: f.data.code, ...locationBody(f.data) },
  });
  if (!r.ok) {
    return locationsPage(
      c,
      refusal('create', f.raw, r, { conflict: `A location with the code ${f.data.code} already exists.` }),
    );
  }
  return c.redirect('/admin/inventory/locations?done=location-created', 303);
}

async function locationPage(c: Context<WebEnv>, code: string, state?: FormState) {
  const locations = await loadLocations(c);
  const location = locations.find((l) => l.code === code);
  if (!location) return notFoundPage(c, 'location');
  return renderAdmin(c, {
    title: `Location ${location.name}`,
    section: SECTION,
    status: state ? 422 : 200,
    children: (
      <>
        <p class="breadcrumbs">
          <a href="/admin/inventory/locations">← Locations</a>
        </p>
        <h1>Edit {location.name}</h1>
        <p class="muted">Code: {location.code}</p>
        <FormNotice state={state} form="edit" />
        <PostForm action={`/admin/inventory/locations/${location.code}`} csrf={c.get('csrf')} class="form-narrow">
          <LocationFields state={state} form="edit" location={location} prefix="edit" />
          <button type="submit">Save location</button>
        </PostForm>
      </>
    ),
  });
}

async function postLocationEdit(c: Context<WebEnv>, code: string) {
  if (!hasRole(c, 'admin')) return forbidden(c, 'Changing a location', 'admin');
  const f = await parseForm(c, LocationForm);
  if (!f.ok) return locationPage(c, code, { form: 'edit', values: f.raw, errors: withMessages(f.errors) });
  const pickup = pickupCheck(f.data);
  if (Object.keys(pickup).length) return locationPage(c, code, { form: 'edit', values: f.raw, errors: pickup });
  const r = await c.get('api').call(c, 'PATCH', `/api/inventory/locations/${code}`, { json: locationBody(f.data) });
  if (!r.ok) {
    if (r.status === 404) return notFoundPage(c, 'location');
    return locationPage(c, code, refusal('edit', f.raw, r));
  }
  return c.redirect('/admin/inventory/locations?done=location-saved', 303);
}

export function inventoryAdmin(): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.use('/inventory/*', async (c, next) => {
    if (!hasRole(c, 'fulfillment')) return forbidden(c, 'Inventory', ROLES_TEXT);
    await next();
  });
  app.use('/inventory', async (c, next) => {
    if (!hasRole(c, 'fulfillment')) return forbidden(c, 'Inventory', ROLES_TEXT);
    await next();
  });
  app.get('/inventory', stockList);
  const withSku =
    (fn: (c: Context<WebEnv>, sku: string) => Promise<Response>) =>
    (c: Context<WebEnv>): Promise<Response> => {
      const sku = parseParam(c.req.param('sku'), Sku);
      return sku ? fn(c, sku) : notFoundPage(c, 'SKU');
    };
  app.get(
    '/inventory/sku/:sku',
    withSku((c, sku) => skuPage(c, sku)),
  );
  app.post('/inventory/sku/:sku/adjust', withSku(postAdjust));
  app.post('/inventory/sku/:sku/transfer', withSku(postTransfer));
  app.post('/inventory/sku/:sku/threshold', withSku(postThreshold));
  app.get('/inventory/locations', (c) => locationsPage(c));
  app.post('/inventory/locations', postLocation);
  const withCode =
    (fn: (c: Context<WebEnv>, code: string) => Promise<Response>) =>
    (c: Context<WebEnv>): Promise<Response> => {
      const code = parseParam(c.req.param('code'), LocationCode);
      return code ? fn(c, code) : notFoundPage(c, 'location');
    };
  app.get(
    '/inventory/locations/:code',
    withCode((c, code) => locationPage(c, code)),
  );
  app.post('/inventory/locations/:code', withCode(postLocationEdit));
  return app;
}
