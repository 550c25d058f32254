import type { Context } from 'hono';
import type { WebEnv } from '../env.ts';
import { Money, PostForm } from '../ui.tsx';
import { formatPairs, fromMinor, type Product } from './catalog-lib.ts';
import type { EditState } from './catalog-product-shared.ts';
import { ActionsHeader, CellInput, TextArea } from './catalog-ui.tsx';

/** A money amount in a price-table cell: the same decimal input for price and compare-at, new or existing. */
const MoneyCell = (props: {
  label: string;
  name: string;
  id: string;
  form: string;
  value: string;
  error?: string | undefined;
}) => <CellInput {...props} inputmode="decimal" size={10} maxlength={16} />;

export function VariantBlock(props: {
  c: Context<WebEnv>;
  base: string;
  index: number;
  variant: Product['variants'][number];
  mine: (form: string) => EditState | undefined;
}) {
  const { c, base, index: vi, variant: v, mine } = props;
  const csrf = c.get('csrf');
  const skuPath = `${base}/variants/${encodeURIComponent(v.sku)}`;
  const opt = mine(`variant:${v.sku}`);
  const add = mine(`price-add:${v.sku}`);
  const addForm = `pa-${vi}`;
  return (
    <article class="card admin-variant" id={`v-${vi}`} aria-labelledby={`v-${vi}-h`}>
      <h3 id={`v-${vi}-h`}>
        SKU <code>{v.sku}</code>
      </h3>
      {opt?.errors._ ? <p class="field-error">{opt.errors._}</p> : null}
      <PostForm action={skuPath} csrf={csrf} class="admin-form" aria-label={`Options of ${v.sku}`}>
        <TextArea
          label={`Options of ${v.sku}`}
          name="options"
          id={`v-${vi}-options`}
          value={opt?.raw.options ?? formatPairs(v.options)}
          error={opt?.errors.options}
          rows={2}
          hint="One per line, as name: value"
        />
        <button type="submit" class="secondary">
          Save options<span class="visually-hidden"> of {v.sku}</span>
        </button>
      </PostForm>
      <table class="prices">
        <caption>Prices of {v.sku}</caption>
        <thead>
          <tr>
            <th scope="col">Currency</th>
            <th scope="col">Price</th>
            <th scope="col">Compare-at</th>
            <th scope="col">Now</th>
            <ActionsHeader />
          </tr>
        </thead>
        <tbody>
          {v.prices.map((p) => {
            const formId = `p-${vi}-${p.currency}`;
            const st = mine(`price:${v.sku}:${p.currency}`);
            return (
              <tr>
                <th scope="row">{p.currency}</th>
                <td>
                  <MoneyCell
                    label={`${p.currency} price of ${v.sku}`}
                    name="amount"
                    id={`${formId}-amount`}
                    form={formId}
                    value={st?.raw.amount ?? fromMinor(p.amount, p.currency)}
                    error={st?.errors.amount}
                  />
                </td>
                <td>
                  <MoneyCell
                    label={`${p.currency} compare-at price of ${v.sku}`}
                    name="compareAt"
                    id={`${formId}-compare`}
                    form={formId}
                    value={st?.raw.compareAt ?? fromMinor(p.compareAt, p.currency)}
                    error={st?.errors.compareAt}
                  />
                </td>
                <td>
                  <Money value={p} />
                </td>
                <td class="actions">
                  {st?.errors._ ? <span class="field-error">{st.errors._}</span> : null}
                  <PostForm action={`${skuPath}/prices`} csrf={csrf} id={formId}>
                    <input type="hidden" name="currency" value={p.currency} />
                    <button type="submit">
                      Save<span class="visually-hidden">{` ${p.currency} price of ${v.sku}`}</span>
                    </button>
                  </PostForm>
                  <PostForm
                    action={`${skuPath}/prices/${p.currency}/delete`}
                    csrf={csrf}
                    data-confirm={`Stop selling ${v.sku} in ${p.currency}?`}
                  >
                    <button type="submit" class="secondary">
                      Remove<span class="visually-hidden">{` ${p.currency} price of ${v.sku}`}</span>
                    </button>
                  </PostForm>
                </td>
              </tr>
            );
          })}
          <tr>
            <td>
              <CellInput
                label={`New price currency for ${v.sku}`}
                name="currency"
                id={`${addForm}-currency`}
                form={addForm}
                value={add?.raw.currency ?? ''}
                error={add?.errors.currency}
                size={4}
                maxlength={3}
              />
            </td>
            <td>
              <MoneyCell
                label={`New price of ${v.sku}`}
                name="amount"
                id={`${addForm}-amount`}
                form={addForm}
                value={add?.raw.amount ?? ''}
                error={add?.errors.amount}
              />
            </td>
            <td>
              <MoneyCell
                label={`New compare-at price of ${v.sku}`}
                name="compareAt"
                id={`${addForm}-compare`}
                form={addForm}
                value={add?.raw.compareAt ?? ''}
                error={add?.errors.compareAt}
              />
            </td>
            <td />
            <td class="actions">
              {add?.errors._ ? <span class="field-error">{add.errors._}</span> : null}
              <PostForm action={`${skuPath}/prices`} csrf={csrf} id={addForm}>
                <input type="hidden" name="new" value="1" />
                <button type="submit">
                  Add price<span class="visually-hidden"> of {v.sku}</span>
                </button>
              </PostForm>
            </td>
          </tr>
        </tbody>
      </table>
      <PostForm
        action={`${skuPath}/delete`}
        csrf={csrf}
        data-confirm={`Delete variant ${v.sku} and its prices?`}
        class="inline-form"
      >
        <button type="submit" class="danger">
          Delete variant {v.sku}
        </button>
      </PostForm>
    </article>
  );
}
