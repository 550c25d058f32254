import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { WebEnv } from '../env.ts';
import { notFoundPage } from '../errors.tsx';
import { formList } from '../session.ts';
import { Field, formatDate, formatMoney, PostForm } from '../ui.tsx';
import { parseForm, parseParam, parseQuery } from '../validate.ts';
import {
  type CategoryNode,
  doneQuery,
  type Effect,
  failure,
  flattenTree,
  fromMinor,
  moneyText,
  type Page,
  PROMOTIONS,
  type Promotion,
  pageStatus,
  problemErrors,
  type Status,
  taxonomy,
  toMinor,
  UuidParam,
} from './catalog-lib.ts';
import { Check, Flash, Section, Select, StatusPill, TextArea } from './catalog-ui.tsx';
import { renderAdmin } from './shell.tsx';

const KINDS = [
  { value: 'percentage', label: 'Percentage off' },
  { value: 'fixed', label: 'Fixed amount off' },
  { value: 'free_shipping', label: 'Free shipping' },
  { value: 'buy_x_get_y', label: 'Buy X, get Y' },
] as const;

/** "10 %", "$5.00 off", "buy 2 get 1 free" — what a promotion does, in words. */
export function effectText(e: Effect, currency: string | null): string {
  switch (e.kind) {
    case 'percentage':
      return `${e.percentBp / 100} % off`;
    case 'fixed':
      return currency ? `${formatMoney({ amount: e.amount, currency })} off` : `${e.amount} off`;
    case 'free_shipping':
      return 'Free shipping';
    case 'buy_x_get_y':
      return e.discountBp >= 10_000
        ? `Buy ${e.buy}, get ${e.get} free`
        : `Buy ${e.buy}, get ${e.get} at ${e.discountBp / 100} % off`;
  }
}

/** Where a promotion stands now: active, scheduled, ended, used up or switched off. */
export function promotionState(p: Promotion, now = Date.now()): { key: string; label: string } {
  if (!p.active) return { key: 'inactive', label: 'Inactive' };
  if (p.endsAt && Date.parse(p.endsAt) <= now) return { key: 'ended', label: 'Ended' };
  if (p.usageLimit !== null && p.usedCount >= p.usageLimit) return { key: 'used-up', label: 'Used up' };
  if (p.startsAt && Date.parse(p.startsAt) > now) return { key: 'scheduled', label: 'Scheduled' };
  return { key: 'active', label: 'Active' };
}

function conditionsText(p: Promotion, categories: readonly CategoryNode[]): string {
  const parts: string[] = [];
  if (p.minSubtotal !== null && p.currency)
    parts.push(`subtotal from ${formatMoney({ amount: p.minSubtotal, currency: p.currency })}`);
  else if (p.currency) parts.push(`${p.currency} carts`);
  if (p.categoryIds.length) {
    const names = flattenTree(categories)
      .filter(({ node }) => p.categoryIds.includes(node.id))
      .map(({ node }) => node.name);
    parts.push(`categories: ${names.length ? names.join(', ') : `${p.categoryIds.length}`}`);
  }
  if (p.productIds.length) parts.push(`${p.productIds.length} product(s)`);
  if (p.customerOnly) parts.push('signed-in customers');
  if (p.perCustomerLimit !== null) parts.push(`${p.perCustomerLimit} per customer`);
  return parts.length ? parts.join('; ') : 'Any cart';
}

// ---------------------------------------------------------------------------------------------
// Form ↔ API

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

const PromotionForm = z
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

function toBody(f: PromotionFormData, categoryIds: string[]) {
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
function toRaw(p: Promotion): Record<string, string> {
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
const apiField = (path: string) => {
  const parts = path.split('.');
  return API_FIELD[parts.slice(0, 2).join('.')] ?? API_FIELD[parts[0] ?? ''];
};

function PromotionFields(props: {
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
                label={`${'\u2014 '.repeat(depth)}${node.name}`}
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

// ---------------------------------------------------------------------------------------------
// Pages

const ListQuery = doneQuery.extend({ cursor: z.string().max(200).optional() });

async function listPage(c: Context<WebEnv>) {
  const q = parseQuery(c, ListQuery);
  const api = c.get('api');
  const [page, { categories }] = await Promise.all([
    api.get<Page<Promotion>>(c, PROMOTIONS, { cursor: q.cursor, limit: 50 }),
    taxonomy(c),
  ]);
  const csrf = c.get('csrf');
  return renderAdmin(c, {
    title: 'Promotions',
    children: (
      <>
        <h1>Promotions</h1>
        <Flash done={q.done} />
        <p>
          <a class="button" href="/admin/promotions/new">
            New promotion
          </a>
        </p>
        {page.items.length === 0 ? (
          <p>No promotions yet.</p>
        ) : (
          <table class="responsive">
            <caption class="visually-hidden">Promotions, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Code</th>
                <th scope="col">Discount</th>
                <th scope="col">Conditions</th>
                <th scope="col">Runs</th>
                <th scope="col" class="num">
                  Used
                </th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((p) => {
                const state = promotionState(p);
                return (
                  <tr>
                    <td data-label="Name">
                      <a href={`/admin/promotions/${p.id}`}>{p.name}</a>
                    </td>
                    <td data-label="Code">{p.code ? <code>{p.code}</code> : <span class="muted">Automatic</span>}</td>
                    <td data-label="Discount">{effectText(p.effect, p.currency)}</td>
                    <td data-label="Conditions">{conditionsText(p, categories)}</td>
                    <td data-label="Runs">
                      {p.startsAt ? formatDate(p.startsAt) : 'Now'} – {p.endsAt ? formatDate(p.endsAt) : 'no end'}
                    </td>
                    <td data-label="Used" class="num">
                      {p.usedCount}
                      {p.usageLimit !== null ? ` of ${p.usageLimit}` : ''}
                    </td>
                    <td data-label="Status">
                      <StatusPill status={state.key} label={state.label} />
                    </td>
                    <td class="actions">
                      <ActiveToggle csrf={csrf} promotion={p} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        {page.nextCursor ? (
          <nav class="pager" aria-label="Pages">
            <a href={`/admin/promotions?cursor=${encodeURIComponent(page.nextCursor)}`} rel="next">
              Next page →
            </a>
          </nav>
        ) : null}
      </>
    ),
  });
}

function ActiveToggle(props: { csrf: string; promotion: Promotion }) {
  const p = props.promotion;
  return (
    <PostForm
      action={`/admin/promotions/${p.id}/active`}
      csrf={props.csrf}
      data-confirm={p.active ? `Deactivate ${p.name}? Shoppers can no longer use it.` : undefined}
    >
      <input type="hidden" name="active" value={p.active ? 'false' : 'true'} />
      <button type="submit" class={p.active ? 'secondary small' : 'small'}>
        {p.active ? 'Deactivate' : 'Activate'}
        <span class="visually-hidden"> {p.name}</span>
      </button>
    </PostForm>
  );
}

interface FormState {
  /** What was typed; without it the edit page shows the promotion as it is. */
  readonly raw?: Record<string, string>;
  readonly errors: Record<string, string>;
  readonly chosen?: readonly string[];
  readonly status?: Status;
}

async function newPage(c: Context<WebEnv>, state?: FormState) {
  const { categories } = await taxonomy(c);
  return renderAdmin(c, {
    title: 'New promotion',
    status: state?.status,
    children: (
      <>
        <p class="breadcrumbs-admin">
          <a href="/admin/promotions">Promotions</a>
        </p>
        <h1>New promotion</h1>
        <Flash error={state?.errors._} />
        <PostForm action="/admin/promotions/new" csrf={c.get('csrf')} class="admin-form" aria-label="New promotion">
          <PromotionFields
            raw={state?.raw ?? { active: 'on', kind: 'percentage' }}
            errors={state?.errors ?? {}}
            categories={categories}
            chosen={state?.chosen ?? []}
          />
          <button type="submit">Create promotion</button>
        </PostForm>
      </>
    ),
  });
}

async function editPage(c: Context<WebEnv>, id: string, state?: FormState, done?: string) {
  const api = c.get('api');
  const [p, { categories }] = await Promise.all([api.get<Promotion>(c, `${PROMOTIONS}/${id}`), taxonomy(c)]);
  const st = promotionState(p);
  return renderAdmin(c, {
    title: `Promotion ${p.name}`,
    status: state?.status,
    section: '/admin/promotions/edit',
    children: (
      <>
        <p class="breadcrumbs-admin">
          <a href="/admin/promotions">Promotions</a>
        </p>
        <h1>Promotion {p.name}</h1>
        <Flash done={done} error={state?.errors._} />
        <div class="summary admin-summary">
          <dl>
            <dt>Status</dt>
            <dd>
              <StatusPill status={st.key} label={st.label} />
            </dd>
            <dt>Code</dt>
            <dd>{p.code ?? 'Automatic'}</dd>
            <dt>Discount</dt>
            <dd>{effectText(p.effect, p.currency)}</dd>
            <dt>Used</dt>
            <dd>
              {p.usedCount}
              {p.usageLimit !== null ? ` of ${p.usageLimit}` : ' (no limit)'}
            </dd>
            <dt>Conditions</dt>
            <dd>{conditionsText(p, categories)}</dd>
            <dt>Last changed</dt>
            <dd>{formatDate(p.updatedAt)}</dd>
          </dl>
        </div>
        <ActiveToggle csrf={c.get('csrf')} promotion={p} />
        <Section title="Change">
          <PostForm
            action={`/admin/promotions/${p.id}`}
            csrf={c.get('csrf')}
            class="admin-form"
            aria-label="Change promotion"
          >
            <PromotionFields
              raw={state?.raw ?? toRaw(p)}
              errors={state?.errors ?? {}}
              categories={categories}
              chosen={state?.chosen ?? p.categoryIds}
            />
            <button type="submit">Save promotion</button>
          </PostForm>
        </Section>
      </>
    ),
  });
}

/** The ticked categories, keeping only ids (a forged value never reaches the API). */
async function chosenCategories(c: Context<WebEnv>): Promise<string[]> {
  const list = await formList(c, 'categoryIds');
  return [...new Set(list.filter((v) => UuidParam.safeParse(v).success))].slice(0, 100);
}

async function createPromotion(c: Context<WebEnv>) {
  const form = await parseForm(c, PromotionForm);
  const chosen = await chosenCategories(c);
  if (!form.ok) {
    return newPage(c, {
      raw: form.raw,
      errors: { ...form.errors, _: 'Please correct the highlighted fields.' },
      chosen,
      status: 422,
    });
  }
  const r = await c.get('api').call<Promotion>(c, 'POST', PROMOTIONS, { json: toBody(form.data, chosen) });
  if (r.ok && r.body?.id) return c.redirect(`/admin/promotions/${r.body.id}?done=promotion-created`, 303);
  return newPage(c, {
    raw: form.raw,
    errors: problemErrors(r.problem ?? { status: r.status }, apiField, { code: 'code' }),
    chosen,
    status: pageStatus(r.status),
  });
}

const promotionId = (c: Context<WebEnv>) => parseParam(c.req.param('id'), UuidParam);

async function savePromotion(c: Context<WebEnv>) {
  const id = promotionId(c);
  if (!id) return notFoundPage(c, 'promotion');
  const form = await parseForm(c, PromotionForm);
  const chosen = await chosenCategories(c);
  if (!form.ok) {
    return editPage(c, id, {
      raw: form.raw,
      errors: { ...form.errors, _: 'Please correct the highlighted fields.' },
      chosen,
      status: 422,
    });
  }
  const r = await c.get('api').call(c, 'PATCH', `${PROMOTIONS}/${id}`, { json: toBody(form.data, chosen) });
  if (r.ok) return c.redirect(`/admin/promotions/${id}?done=promotion-saved`, 303);
  if (r.status === 404) return notFoundPage(c, 'promotion');
  return editPage(c, id, {
    raw: form.raw,
    errors: problemErrors(r.problem ?? { status: r.status }, apiField, { code: 'code' }),
    chosen,
    status: pageStatus(r.status),
  });
}

const ActiveForm = z.object({ active: z.enum(['true', 'false']), back: z.string().optional() });

async function setActive(c: Context<WebEnv>) {
  const id = promotionId(c);
  if (!id) return notFoundPage(c, 'promotion');
  const form = await parseForm(c, ActiveForm);
  if (!form.ok) return c.redirect(`/admin/promotions/${id}`, 303);
  const active = form.data.active === 'true';
  const r = await c.get('api').call(c, 'PATCH', `${PROMOTIONS}/${id}`, { json: { active } });
  if (r.ok)
    return c.redirect(`/admin/promotions?done=${active ? 'promotion-activated' : 'promotion-deactivated'}`, 303);
  if (r.status === 404) return notFoundPage(c, 'promotion');
  return editPage(c, id, { errors: { _: failure(r) }, status: pageStatus(r.status) });
}

/** Promotions: list with usage, create, edit, (de)activate. */
export function promotionRoutes(app: Hono<WebEnv>): void {
  app.get('/promotions', listPage);
  app.get('/promotions/new', (c) => newPage(c));
  app.post('/promotions/new', createPromotion);
  app.get('/promotions/:id', (c) => {
    const id = promotionId(c);
    return id ? editPage(c, id, undefined, parseQuery(c, doneQuery).done) : notFoundPage(c, 'promotion');
  });
  app.post('/promotions/:id', savePromotion);
  app.post('/promotions/:id/active', setActive);
}
