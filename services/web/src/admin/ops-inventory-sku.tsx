import type { Context } from 'hono';
import { z } from 'zod';
import type { WebEnv } from '../env.ts';
import { Field, formatDate, PostForm } from '../ui.tsx';
import { parseQuery } from '../validate.ts';
import {
  Flash,
  FormNotice,
  type FormState,
  fieldOf,
  humanize,
  type Option,
  SelectField,
  withQuery,
} from './ops-common.tsx';
import {
  DONE,
  LOCATION_RE,
  type Location,
  loadLocations,
  locationOptions,
  nameOf,
  SECTION,
  StockCells,
  StockHeads,
  type StockRow,
  skuPath,
} from './ops-inventory-shared.tsx';
import { BackLink, bound, idTail, KeyField, NumTd, NumTh } from './ops-parts.tsx';
import { renderAdmin } from './shell.tsx';

/** One SKU: its rows by location, the adjust, transfer and threshold forms, and the movements ledger. */

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

const REASONS: readonly Option[] = [
  { value: 'count', label: 'Count (set on hand)' },
  { value: 'receipt', label: 'Receipt (add)' },
  { value: 'damage', label: 'Damage or loss (remove)' },
  { value: 'correction', label: 'Correction (+ or −)' },
];

const SkuQuery = z.object({
  done: z.string().max(40).optional(),
  mloc: z.string().max(200).optional(),
  before: z.string().max(20).optional(),
});

export async function skuPage(c: Context<WebEnv>, sku: string, state?: FormState) {
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
  const total = stock.items.reduce((n, r) => n + r.available, 0);
  const oldest = movements.items[movements.items.length - 1];
  const forms = { c, sku, state, opts };
  return renderAdmin(c, {
    title: `Stock of ${sku}`,
    section: SECTION,
    status: state ? 422 : 200,
    children: (
      <>
        <BackLink href="/admin/inventory">Inventory</BackLink>
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
                <StockHeads />
                <th scope="col">Last counted</th>
              </tr>
            </thead>
            <tbody>
              {stock.items.map((r) => (
                <tr>
                  <td data-label="Location">{nameOf(locations, r.location)}</td>
                  <StockCells row={r} />
                  <td data-label="Last counted">{r.lastCountedAt ? formatDate(r.lastCountedAt) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}

        <div class="ops-forms">
          <AdjustPanel {...forms} />
          <TransferPanel {...forms} />
          <ThresholdPanel {...forms} rows={stock.items} locations={locations} />
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
            <MovementsTable sku={sku} movements={movements.items} locations={locations} />
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

interface PanelProps {
  c: Context<WebEnv>;
  sku: string;
  state: FormState | undefined;
  opts: readonly Option[];
}

function AdjustPanel(props: PanelProps) {
  const adjust = fieldOf(props.state, 'adjust');
  return (
    <section aria-labelledby="adjust-h" class="ops-panel">
      <h2 id="adjust-h">Adjust on hand</h2>
      <FormNotice state={props.state} form="adjust" />
      <PostForm action={`${skuPath(props.sku)}/adjust`} csrf={props.c.get('csrf')}>
        <KeyField form={adjust} name="op" />
        <SelectField
          id="adjust-location"
          label="Location"
          {...bound(adjust, 'location')}
          options={props.opts}
          required
        />
        <SelectField id="adjust-reason" label="Reason" {...bound(adjust, 'reason')} options={REASONS} required />
        <Field
          id="adjust-quantity"
          label="Quantity"
          {...bound(adjust, 'quantity')}
          type="number"
          step={1}
          hint="Units counted, received, damaged, or the ± correction"
          required
        />
        <Field id="adjust-note" label="Note (optional)" {...bound(adjust, 'note')} maxlength={500} />
        <button type="submit">Save adjustment</button>
      </PostForm>
    </section>
  );
}

function TransferPanel(props: PanelProps) {
  const transfer = fieldOf(props.state, 'transfer');
  return (
    <section aria-labelledby="transfer-h" class="ops-panel">
      <h2 id="transfer-h">Transfer between locations</h2>
      <FormNotice state={props.state} form="transfer" />
      <PostForm action={`${skuPath(props.sku)}/transfer`} csrf={props.c.get('csrf')}>
        <KeyField form={transfer} name="op" />
        <SelectField id="transfer-from" label="From" {...bound(transfer, 'from')} options={props.opts} required />
        <SelectField
          id="transfer-to"
          label="To"
          {...bound(transfer, 'to', props.opts[1]?.value)}
          options={props.opts}
          required
        />
        <Field
          id="transfer-qty"
          label="Units to move"
          {...bound(transfer, 'qty')}
          type="number"
          min={1}
          max={10000}
          step={1}
          required
        />
        <Field id="transfer-note" label="Note (optional)" {...bound(transfer, 'note')} maxlength={500} />
        <button type="submit">Transfer units</button>
      </PostForm>
    </section>
  );
}

function ThresholdPanel(props: PanelProps & { rows: readonly StockRow[]; locations: readonly Location[] }) {
  const threshold = fieldOf(props.state, 'threshold');
  return (
    <section aria-labelledby="threshold-h" class="ops-panel">
      <h2 id="threshold-h">Low-stock threshold</h2>
      <FormNotice state={props.state} form="threshold" />
      <PostForm action={`${skuPath(props.sku)}/threshold`} csrf={props.c.get('csrf')}>
        <SelectField
          id="threshold-location"
          label="Location"
          {...bound(threshold, 'location')}
          options={props.rows.map((r) => ({ value: r.location, label: nameOf(props.locations, r.location) }))}
          required
        />
        <Field
          id="threshold-value"
          label="Warn when available falls to"
          {...bound(threshold, 'lowThreshold')}
          type="number"
          min={0}
          step={1}
          required
        />
        <button type="submit" disabled={props.rows.length === 0}>
          Save threshold
        </button>
      </PostForm>
    </section>
  );
}

function MovementsTable(props: { sku: string; movements: readonly Movement[]; locations: readonly Location[] }) {
  return (
    <table class="responsive">
      <caption class="visually-hidden">On-hand changes of {props.sku}, newest first</caption>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Location</th>
          <NumTh>Change</NumTh>
          <th scope="col">Reason</th>
          <th scope="col">Reference</th>
          <th scope="col">By</th>
          <th scope="col">Note</th>
        </tr>
      </thead>
      <tbody>
        {props.movements.map((m) => (
          <tr>
            <td data-label="When">{formatDate(m.at)}</td>
            <td data-label="Location">{nameOf(props.locations, m.location)}</td>
            <NumTd label="Change">{m.delta > 0 ? `+${m.delta}` : String(m.delta)}</NumTd>
            <td data-label="Reason">{humanize(m.reason)}</td>
            <td data-label="Reference">{m.ref ?? '—'}</td>
            <td data-label="By">{m.actor ? <span title={m.actor}>Account {idTail(m.actor)}</span> : 'System'}</td>
            <td data-label="Note">{m.note ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
