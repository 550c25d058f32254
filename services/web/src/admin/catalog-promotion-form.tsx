import { z } from 'zod';
import { Field } from '../ui.tsx';
import {
  type CategoryNode,
  flattenTree,
  fromMinor,
  indented,
  moneyText,
  type Promotion,
  toMinor,
  UuidParam,
} from './catalog-lib.ts';
import { Check, Select, TextArea } from './catalog-ui.tsx';

/**
 * The promotion form shared by the new and edit pages: its schema, the API body it makes, a
 * promotion as the form's strings, and which form field an API error path belongs to.
 */

const KINDS = [
  { value: 'percentage', label: 'Percentage off' },
  { value: 'fixed', label: 'Fixed amount off' },
  { value: 'free_shipping', label: 'Free shipping' },
  { value: 'buy_x_get_y', label: 'Buy X, get Y' },
] as const;

const localDate = z
  .string()
  .trim()
  .regex(/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?)?$/, 'Use a date and time')
  .refine((s) => !s || !Number.isNaN(Date.parse(`${s}Z`)), 'Use a date and time');
const intText = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^(\d{1,10})?$/, `A whole number from ${min} to ${max}`)
    .refine((s) => !s || (Number(s) >= min && Number(s) <= max), `A whole number from ${min} to ${max}`);
const percentText = z
  .string()
  .trim()
  .regex(/^(\d{1,3}(\.\d{1,2})?)?$/, 'A percentage like 10 or 12.5')
  .refine((s) => !s || (Number(s) > 0 && Number(s) <= 100), 'Between 0.01 and 100');

export const PromotionForm = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, 'Enter a name')
      .max(100, 'At most 100 characters')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
      .regex(/^[^\u0000-\u001f\u007f]*$/, 'One line, please'),
    code: z
      .string()
      .trim()
      .transform((s) => s.toUpperCase())
      .pipe(z.string().regex(/^([A-Z0-9][A-Z0-9_-]{2,31})?$/, '3 to 32 letters, digits, dash or underscore'))
      .default(''),
    kind: z.enum(['percentage', 'fixed', 'free_shipping', 'buy_x_get_y'], 'Choose what it does'),
    percent: percentText.default(''),
    amount: moneyText.default(''),
    buy: intText(1, 100).default(''),
    get: intText(1, 100).default(''),
    getPercent: percentText.default(''),
    currency: z
      .string()
      .trim()
      .transform((s) => s.toUpperCase())
      .pipe(z.string().regex(/^([A-Z]{3})?$/, 'A three-letter currency code, like USD'))
      .default(''),
    minSubtotal: moneyText.default(''),
    productIds: z.string().max(4000).default(''),
    customerOnly: z.string().optional(),
    startsAt: localDate.default(''),
    endsAt: localDate.default(''),
    usageLimit: intText(1, 1_000_000_000).default(''),
    perCustomerLimit: intText(1, 1000).default(''),
    active: z.string().optional(),
  })
  .superRefine((f, ctx) => {
    const need = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (f.kind === 'percentage' && !f.percent) need('percent', 'Enter the percentage off');
    if (f.kind === 'fixed') {
      if (!f.amount) need('amount', 'Enter the amount off');
      if (!f.currency) need('currency', 'A fixed amount needs a currency');
      else if (f.amount && !(toMinor(f.amount, f.currency) ?? 0)) need('amount', `Not an amount in ${f.currency}`);
    }
    if (f.kind === 'buy_x_get_y') {
      if (!f.buy) need('buy', 'How many to buy');
      if (!f.get) need('get', 'How many they get');
    }
    if (f.minSubtotal) {
      if (!f.currency) need('currency', 'A minimum subtotal needs a currency');
      else if (toMinor(f.minSubtotal, f.currency) === undefined) need('minSubtotal', `Not an amount in ${f.currency}`);
    }
    if (f.startsAt && f.endsAt && Date.parse(`${f.endsAt}Z`) <= Date.parse(`${f.startsAt}Z`))
      need('endsAt', 'The end must be after the start');
    const ids = f.productIds.split(/[\s,]+/).filter(Boolean);
    if (ids.length > 100) need('productIds', 'At most 100 products');
    const bad = ids.find((id) => !UuidParam.safeParse(id).success);
    if (bad) need('productIds', `Not a product id: ${bad.slice(0, 40)}`);
  });
type PromotionFormData = z.infer<typeof PromotionForm>;

const iso = (local: string) => (local ? new Date(`${local}Z`).toISOString() : null);
const local = (isoText: string | null) => (isoText ? new Date(isoText).toISOString().slice(0, 16) : '');

export function toBody(f: PromotionFormData, categoryIds: string[]) {
  const bp = (pct: string) => Math.round(Number(pct) * 100);
  const effect =
    f.kind === 'percentage'
      ? { kind: f.kind, percentBp: bp(f.percent) }
      : f.kind === 'fixed'
        ? { kind: f.kind, amount: toMinor(f.amount, f.currency) ?? 0 }
        : f.kind === 'free_shipping'
          ? { kind: f.kind }
          : {
              kind: f.kind,
              buy: Number(f.buy),
              get: Number(f.get),
              discountBp: f.getPercent ? bp(f.getPercent) : 10_000,
            };
  return {
    name: f.name,
    code: f.code || null,
    effect,
    currency: f.currency || null,
    minSubtotal: f.minSubtotal && f.currency ? (toMinor(f.minSubtotal, f.currency) ?? null) : null,
    productIds: [...new Set(f.productIds.split(/[\s,]+/).filter(Boolean))],
    categoryIds,
    customerOnly: f.customerOnly !== undefined,
    startsAt: iso(f.startsAt),
    endsAt: iso(f.endsAt),
    usageLimit: f.usageLimit ? Number(f.usageLimit) : null,
    perCustomerLimit: f.perCustomerLimit ? Number(f.perCustomerLimit) : null,
    active: f.active !== undefined,
  };
}

/** A promotion as the form's raw strings (for the edit page). */
export function toRaw(p: Promotion): Record<string, string> {
  const e = p.effect;
  return {
    name: p.name,
    code: p.code ?? '',
    kind: e.kind,
    percent: e.kind === 'percentage' ? String(e.percentBp / 100) : '',
    amount: e.kind === 'fixed' ? fromMinor(e.amount, p.currency) : '',
    buy: e.kind === 'buy_x_get_y' ? String(e.buy) : '',
    get: e.kind === 'buy_x_get_y' ? String(e.get) : '',
    getPercent: e.kind === 'buy_x_get_y' ? String(e.discountBp / 100) : '',
    currency: p.currency ?? '',
    minSubtotal: fromMinor(p.minSubtotal, p.currency),
    productIds: p.productIds.join('\n'),
    ...(p.customerOnly ? { customerOnly: 'on' } : {}),
    startsAt: local(p.startsAt),
    endsAt: local(p.endsAt),
    usageLimit: p.usageLimit === null ? '' : String(p.usageLimit),
    perCustomerLimit: p.perCustomerLimit === null ? '' : String(p.perCustomerLimit),
    ...(p.active ? { active: 'on' } : {}),
  };
}

const API_FIELD: Record<string, string> = {
  name: 'name',
  code: 'code',
  'effect.percentBp': 'percent',
  'effect.amount': 'amount',
  'effect.buy': 'buy',
  'effect.get': 'get',
  'effect.discountBp': 'getPercent',
  effect: 'kind',
  currency: 'currency',
  minSubtotal: 'minSubtotal',
  productIds: 'productIds',
  categoryIds: 'categoryIds',
  startsAt: 'startsAt',
  endsAt: 'endsAt',
  usageLimit: 'usageLimit',
  perCustomerLimit: 'perCustomerLimit',
};
export const apiField = (path: string) => {
  const parts = path.split('.');
  return API_FIELD[parts.slice(0, 2).join('.')] ?? API_FIELD[parts[0] ?? ''];
};

export function PromotionFields(props: {
  raw: Record<string, string>;
  errors: Record<string, string>;
  categories: readonly CategoryNode[];
  chosen: readonly string[];
}) {
  const { raw, errors } = props;
  return (
    <>
      <fieldset>
        <legend>Promotion</legend>
        <Field label="Name" name="name" value={raw.name} error={errors.name} required maxlength={100} />
        <Field
          label="Code"
          name="code"
          value={raw.code}
          error={errors.code}
          maxlength={32}
          hint="What shoppers type, like SPRING10. Leave empty for an automatic promotion"
        />
        <Check label="Active" name="active" checked={raw.active !== undefined} />
      </fieldset>
      <fieldset>
        <legend>Discount</legend>
        <Select label="Type" name="kind" value={raw.kind ?? 'percentage'} options={KINDS} error={errors.kind} />
        <Field
          label="Percent off"
          name="percent"
          inputmode="decimal"
          value={raw.percent}
          error={errors.percent}
          maxlength={6}
          hint="For a percentage: 10 means 10 %"
        />
        <Field
          label="Amount off"
          name="amount"
          inputmode="decimal"
          value={raw.amount}
          error={errors.amount}
          maxlength={16}
          hint="For a fixed amount, in the currency below"
        />
        <div class="field-row">
          <Field label="Buy" name="buy" inputmode="numeric" value={raw.buy} error={errors.buy} maxlength={3} />
          <Field label="Get" name="get" inputmode="numeric" value={raw.get} error={errors.get} maxlength={3} />
          <Field
            label="Percent off the items they get"
            name="getPercent"
            inputmode="decimal"
            value={raw.getPercent}
            error={errors.getPercent}
            maxlength={6}
            hint="For buy X get Y; empty means free"
          />
        </div>
      </fieldset>
      <fieldset>
        <legend>Conditions</legend>
        <div class="field-row">
          <Field
            label="Currency"
            name="currency"
            value={raw.currency}
            error={errors.currency}
            maxlength={3}
            hint="Only carts in this currency (needed for a fixed amount or a minimum)"
          />
          <Field
            label="Minimum subtotal"
            name="minSubtotal"
            inputmode="decimal"
            value={raw.minSubtotal}
            error={errors.minSubtotal}
            maxlength={16}
          />
        </div>
        <Check label="Signed-in customers only" name="customerOnly" checked={raw.customerOnly !== undefined} />
        <fieldset class={errors.categoryIds ? 'field-invalid' : undefined}>
          <legend>Only products in these categories (none ticked: any)</legend>
          {errors.categoryIds ? <span class="field-error">{errors.categoryIds}</span> : null}
          <div class="admin-checks">
            {flattenTree(props.categories).map(({ node, depth }) => (
              <Check
                label={indented(node.name, depth)}
                name="categoryIds"
                id={`cat-${node.id}`}
                value={node.id}
                checked={props.chosen.includes(node.id)}
              />
            ))}
          </div>
        </fieldset>
        <TextArea
          label="Only these products"
          name="productIds"
          value={raw.productIds}
          error={errors.productIds}
          rows={3}
          hint="Product ids, one per line (the id is in the product's admin address); empty: any"
        />
      </fieldset>
      <fieldset>
        <legend>When and how often</legend>
        <div class="field-row">
          <Field
            label="Starts (UTC)"
            name="startsAt"
            type="datetime-local"
            value={raw.startsAt}
            error={errors.startsAt}
            hint="Empty: now"
          />
          <Field
            label="Ends (UTC)"
            name="endsAt"
            type="datetime-local"
            value={raw.endsAt}
            error={errors.endsAt}
            hint="Empty: no end"
          />
        </div>
        <div class="field-row">
          <Field
            label="Usage limit"
            name="usageLimit"
            inputmode="numeric"
            value={raw.usageLimit}
            error={errors.usageLimit}
            maxlength={10}
            hint="Orders in total; empty: no limit"
          />
          <Field
            label="Per customer"
            name="perCustomerLimit"
            inputmode="numeric"
            value={raw.perCustomerLimit}
            error={errors.perCustomerLimit}
            maxlength={4}
            hint="Empty: no limit"
          />
        </div>
      </fieldset>
    </>
  );
}
