import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { WebEnv } from '../env.ts';
import { notFoundPage } from '../errors.tsx';
import { formList } from '../session.ts';
import { formatDate, formatMoney, PostForm } from '../ui.tsx';
import { parseForm, parseQuery } from '../validate.ts';
import {
  type CategoryNode,
  doneQuery,
  type Effect,
  failedCall,
  flattenTree,
  idParam,
  type Page,
  PROMOTIONS,
  type Promotion,
  refusedForm,
  refusedWrite,
  type Status,
  taxonomy,
  UuidParam,
} from './catalog-lib.ts';
import { apiField, PromotionFields, PromotionForm, toBody, toRaw } from './catalog-promotion-form.tsx';
import { ActionsHeader, Breadcrumb, Flash, Section, StatusPill } from './catalog-ui.tsx';
import { renderAdmin } from './shell.tsx';

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
                <ActionsHeader />
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
        <Breadcrumb href="/admin/promotions" label="Promotions" />
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
        <Breadcrumb href="/admin/promotions" label="Promotions" />
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
    return newPage(c, { ...refusedForm(form), chosen });
  }
  const r = await c.get('api').call<Promotion>(c, 'POST', PROMOTIONS, { json: toBody(form.data, chosen) });
  if (r.ok && r.body?.id) return c.redirect(`/admin/promotions/${r.body.id}?done=promotion-created`, 303);
  return newPage(c, { raw: form.raw, ...refusedWrite(r, apiField, { code: 'code' }), chosen });
}

async function savePromotion(c: Context<WebEnv>) {
  const id = idParam(c);
  if (!id) return notFoundPage(c, 'promotion');
  const form = await parseForm(c, PromotionForm);
  const chosen = await chosenCategories(c);
  if (!form.ok) {
    return editPage(c, id, { ...refusedForm(form), chosen });
  }
  const r = await c.get('api').call(c, 'PATCH', `${PROMOTIONS}/${id}`, { json: toBody(form.data, chosen) });
  if (r.ok) return c.redirect(`/admin/promotions/${id}?done=promotion-saved`, 303);
  if (r.status === 404) return notFoundPage(c, 'promotion');
  return editPage(c, id, { raw: form.raw, ...refusedWrite(r, apiField, { code: 'code' }), chosen });
}

const ActiveForm = z.object({ active: z.enum(['true', 'false']), back: z.string().optional() });

async function setActive(c: Context<WebEnv>) {
  const id = idParam(c);
  if (!id) return notFoundPage(c, 'promotion');
  const form = await parseForm(c, ActiveForm);
  if (!form.ok) return c.redirect(`/admin/promotions/${id}`, 303);
  const active = form.data.active === 'true';
  const r = await c.get('api').call(c, 'PATCH', `${PROMOTIONS}/${id}`, { json: { active } });
  if (r.ok)
    return c.redirect(`/admin/promotions?done=${active ? 'promotion-activated' : 'promotion-deactivated'}`, 303);
  if (r.status === 404) return notFoundPage(c, 'promotion');
  return editPage(c, id, failedCall(r));
}

/** Promotions: list with usage, create, edit, (de)activate. */
export function promotionRoutes(app: Hono<WebEnv>): void {
  app.get('/promotions', listPage);
  app.get('/promotions/new', (c) => newPage(c));
  app.post('/promotions/new', createPromotion);
  app.get('/promotions/:id', (c) => {
    const id = idParam(c);
    return id ? editPage(c, id, undefined, parseQuery(c, doneQuery).done) : notFoundPage(c, 'promotion');
  });
  app.post('/promotions/:id', savePromotion);
  app.post('/promotions/:id/active', setActive);
}
