import type { Context } from 'hono';
import { z } from 'zod';
import type { WebEnv } from '../env.ts';
import type { Errors, Option } from './ops-common.tsx';
import { NumTd, NumTh } from './ops-parts.tsx';

/** What the inventory pages share: the API's shapes, codes, the sub-menu, stock cells, locations. */

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

export const SKU_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const LOCATION_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const Sku = z.string().regex(SKU_RE);
export const LocationCode = z.string().max(32).regex(LOCATION_RE);

export const SECTION = '/admin/inventory';

export const DONE = {
  adjusted: 'Stock adjusted.',
  transferred: 'Transfer done.',
  threshold: 'Low-stock threshold saved.',
  'location-created': 'Location opened.',
  'location-saved': 'Location saved.',
};

export const skuPath = (sku: string) => `/admin/inventory/sku/${encodeURIComponent(sku)}`;

export function SubNav(props: { current: 'stock' | 'locations' }) {
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

/** The headers of the figures every stock table shows. */
export function StockHeads() {
  return (
    <>
      <NumTh>On hand</NumTh>
      <NumTh>Reserved</NumTh>
      <NumTh>Available</NumTh>
      <NumTh>Low at</NumTh>
      <th scope="col">State</th>
    </>
  );
}

/** A stock row's figures and state, under `StockHeads`. */
export function StockCells(props: { row: StockRow }) {
  const r = props.row;
  return (
    <>
      <NumTd label="On hand">{r.onHand}</NumTd>
      <NumTd label="Reserved">{r.reserved}</NumTd>
      <NumTd label="Available">{r.available}</NumTd>
      <NumTd label="Low at">{r.lowThreshold}</NumTd>
      <td data-label="State">
        <StockState row={r} />
      </td>
    </>
  );
}

export const locationOptions = (locations: readonly Location[]): Option[] =>
  locations.map((l) => ({ value: l.code, label: `${l.name} (${l.code})` }));

export const nameOf = (locations: readonly Location[], code: string) =>
  locations.find((l) => l.code === code)?.name ?? code;

export async function loadLocations(c: Context<WebEnv>): Promise<Location[]> {
  const r = await c.get('api').get<{ items: Location[] }>(c, '/api/inventory/locations');
  return r.items;
}

/** zod's generic messages for a bad enum or pattern on a select are not helpful to a person. */
export function withMessages(errors: Errors): Errors {
  const out: Errors = {};
  for (const [k, v] of Object.entries(errors)) {
    out[k] =
      ['location', 'from', 'to', 'kind'].includes(k) && !/[A-Z]/.test(v.charAt(0))
        ? 'Choose one from the list.'
        : v.charAt(0).toUpperCase() + v.slice(1);
  }
  return out;
}
