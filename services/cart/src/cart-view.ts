import type { CatalogClient, SkuInfo } from './catalog-client.ts';
import type { StoredCart } from './domain.ts';
import { checkPromotion, type EvalLine, type Promotion, type ReasonCode } from './domain-promotions.ts';
import { type AppliedInput, type AppliedPromotion, computeTotals } from './domain-totals.ts';
import type { PromotionSource } from './promotion-source.ts';
import { type ShippingTable, shippingOptionsFor, type TaxTable, taxRateFor } from './rates.ts';
import { UpstreamFailed } from './upstream.ts';

/**
 * A stored cart re-priced for the shopper: current catalog prices (flagging lines whose price
 * moved since it was seen), promotions that apply (and why the cart's code does not), shipping
 * options and tax for the chosen region, and totals. If the catalog cannot answer, the cart is
 * shown at the prices seen, marked `pricing: "stale"`, rather than not at all.
 */

export interface PricingDeps {
  readonly catalog: CatalogClient;
  readonly promotions: PromotionSource;
  readonly shipping: ShippingTable;
  readonly tax: TaxTable;
  readonly clock: () => Date;
}

export interface LineView {
  readonly sku: string;
  readonly productId: string;
  readonly slug: string | null;
  readonly name: string | null;
  readonly image: string | null;
  readonly quantity: number;
  /** The current price (the seen one while pricing is stale). */
  readonly unitPrice: number;
  /** The price the shopper saw when adding or last acknowledged. */
  readonly seenUnitPrice: number;
  readonly priceChanged: boolean;
  /** False when the catalog no longer sells it in this currency; such lines are left out of totals. */
  readonly available: boolean;
  readonly subtotal: number;
  readonly discount: number;
  readonly total: number;
  readonly tax: number | null;
}

export interface CodeView {
  readonly code: string;
  readonly applied: boolean;
  readonly reasonCode: ReasonCode | null;
  readonly reason: string | null;
}

export interface CartView {
  readonly id: string;
  readonly status: StoredCart['status'];
  readonly owner: 'guest' | 'customer';
  readonly mergedInto: string | null;
  /** The order placed from this cart while it is `ordered`; null otherwise. */
  readonly orderId: string | null;
  readonly currency: string;
  readonly pricing: 'live' | 'stale';
  readonly lines: LineView[];
  readonly priceChanges: number;
  readonly code: CodeView | null;
  readonly promotions: AppliedPromotion[];
  readonly shippingOptions: { id: string; name: string; price: number; amount: number }[];
  readonly shippingOption: string | null;
  readonly taxRegion: string | null;
  readonly totals: Omit<ReturnType<typeof computeTotals>, 'lines' | 'promotions'>;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

async function lookup(deps: PricingDeps, cart: StoredCart): Promise<Map<string, SkuInfo | null> | null> {
  if (cart.lines.length === 0) return new Map();
  try {
    return await deps.catalog.lookup(
      cart.lines.map((l) => l.sku),
      cart.currency,
    );
  } catch (err) {
    if (err instanceof UpstreamFailed) return null;
    throw err;
  }
}

async function usesOf(deps: PricingDeps, p: Promotion, customerId: string | null): Promise<number> {
  return p.perCustomerLimit !== null && customerId ? deps.promotions.customerUses(p.id, customerId) : 0;
}

export async function priceCart(deps: PricingDeps, cart: StoredCart): Promise<CartView> {
  const now = deps.clock();
  const infos = await lookup(deps, cart);
  const lines = cart.lines.map((l) => {
    const info = infos?.get(l.sku);
    const current = infos === null ? l.unitPrice : (info?.price ?? null);
    return { line: l, info, current, available: current !== null };
  });
  const evalLines: EvalLine[] = [];
  const evalIndex: number[] = [];
  lines.forEach((x, i) => {
    if (x.current === null) return;
    evalIndex[i] = evalLines.length;
    evalLines.push({
      sku: x.line.sku,
      productId: x.line.productId,
      categoryIds: x.info?.categoryIds ?? [],
      unitPrice: x.current,
      quantity: x.line.quantity,
    });
  });

  const ctx = { now, currency: cart.currency, lines: evalLines, customerId: cart.customerId };
  const applied: AppliedInput[] = [];
  for (const p of await deps.promotions.automatic(now)) {
    const v = checkPromotion(p, { ...ctx, customerUses: await usesOf(deps, p, cart.customerId) });
    if (v.ok) applied.push({ promotion: p, eligible: v.eligible });
  }
  let code: CodeView | null = null;
  if (cart.code) {
    const p = await deps.promotions.byCode(cart.code);
    const v = p
      ? checkPromotion(p, { ...ctx, customerUses: await usesOf(deps, p, cart.customerId) })
      : ({ ok: false, reasonCode: 'inactive', reason: 'this code is not valid' } as const);
    if (p && v.ok) applied.push({ promotion: p, eligible: v.eligible });
    code = v.ok
      ? { code: cart.code, applied: true, reasonCode: null, reason: null }
      : { code: cart.code, applied: false, reasonCode: v.reasonCode, reason: v.reason };
  }

  const options = shippingOptionsFor(deps.shipping, cart.currency);
  const chosen = options.find((o) => o.id === cart.shippingOption) ?? null;
  const rate = cart.taxRegion ? taxRateFor(deps.tax, cart.taxRegion) : null;
  const totals = computeTotals({ lines: evalLines, promotions: applied, shipping: chosen, tax: rate });
  const freeShipping = totals.promotions.some((p) => p.kind === 'free_shipping');
  const { lines: lineTotals, promotions, ...orderTotals } = totals;

  return {
    id: cart.id,
    status: cart.status,
    owner: cart.customerId ? 'customer' : 'guest',
    mergedInto: cart.mergedInto,
    orderId: cart.status === 'ordered' ? (cart.orderId ?? null) : null,
    currency: cart.currency,
    pricing: infos === null ? 'stale' : 'live',
    lines: lines.map((x, i) => {
      const at = evalIndex[i];
      const t = at === undefined ? undefined : lineTotals[at];
      const unitPrice = x.current ?? x.line.unitPrice;
      return {
        sku: x.line.sku,
        productId: x.line.productId,
        slug: x.info?.slug ?? null,
        name: x.info?.name ?? null,
        image: x.info?.image ?? null,
        quantity: x.line.quantity,
        unitPrice,
        seenUnitPrice: x.line.unitPrice,
        priceChanged: x.available && unitPrice !== x.line.unitPrice,
        available: x.available,
        subtotal: t?.subtotal ?? 0,
        discount: t?.discount ?? 0,
        total: t?.total ?? 0,
        tax: t?.tax ?? null,
      };
    }),
    priceChanges: lines.filter((x) => x.current !== null && x.current !== x.line.unitPrice).length,
    code,
    promotions,
    shippingOptions: options.map((o) => ({
      id: o.id,
      name: o.name,
      price: o.price,
      amount: freeShipping || (o.freeOver !== null && orderTotals.merchandise >= o.freeOver) ? 0 : o.price,
    })),
    shippingOption: chosen?.id ?? null,
    taxRegion: cart.taxRegion,
    totals: orderTotals,
    version: cart.version,
    createdAt: cart.createdAt,
    updatedAt: cart.updatedAt,
  };
}
