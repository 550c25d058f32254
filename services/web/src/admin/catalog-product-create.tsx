import type { Context } from 'hono';
import { z } from 'zod';
import type { WebEnv } from '../env.ts';
import { Field, PostForm } from '../ui.tsx';
import { parseForm } from '../validate.ts';
import {
  type Brand,
  CATALOG,
  type CategoryNode,
  moneyText,
  type Product,
  pageStatus,
  pairsText,
  parsePairs,
  problemErrors,
  refusedForm,
  type Status,
  taxonomy,
  toMinor,
} from './catalog-lib.ts';
import {
  altText,
  brandOptions,
  categoryOptions,
  IMAGE_ROWS,
  imageUrl,
  optionalUuid,
  PRICE_ROWS,
  skuText,
  slugText,
  statusOptions,
} from './catalog-product-shared.ts';
import { Breadcrumb, Flash, Select, TextArea } from './catalog-ui.tsx';
import { renderAdmin } from './shell.tsx';

// ---------------------------------------------------------------------------------------------
// Create

const imageFields = Object.fromEntries(
  Array.from({ length: IMAGE_ROWS }, (_, i) => [
    [`image${i}Url`, imageUrl.default('')],
    [`image${i}Alt`, altText.default('')],
  ]).flat(),
);
const priceFields = Object.fromEntries(
  Array.from({ length: PRICE_ROWS }, (_, i) => [
    [`priceCurrency${i}`, z.string().trim().max(3).default('')],
    [`priceAmount${i}`, moneyText.default('')],
    [`priceCompare${i}`, moneyText.default('')],
  ]).flat(),
);

const CreateForm = z
  .object({
    name: z.string().trim().min(1, 'Enter a name').max(200, 'At most 200 characters'),
    slug: slugText.default(''),
    description: z.string().max(10_000, 'At most 10,000 characters').default(''),
    brandId: optionalUuid.default(''),
    categoryId: optionalUuid.default(''),
    status: z.enum(['draft', 'published', 'archived'], 'Choose a status').default('draft'),
    attributes: pairsText('Attributes').default(''),
    sku: z.union([z.literal(''), skuText]).default(''),
    options: pairsText('Options').default(''),
    ...imageFields,
    ...priceFields,
  })
  .superRefine((f, ctx) => {
    const v = f as Record<string, string>;
    for (let i = 0; i < IMAGE_ROWS; i++) {
      if (!v[`image${i}Url`] && v[`image${i}Alt`])
        ctx.addIssue({ code: 'custom', path: [`image${i}Url`], message: 'Enter the image address for this alt text' });
    }
    for (let i = 0; i < PRICE_ROWS; i++) {
      const cur = v[`priceCurrency${i}`] ?? '';
      const amount = v[`priceAmount${i}`] ?? '';
      const compare = v[`priceCompare${i}`] ?? '';
      if (!amount && !compare) continue;
      if (!f.sku) ctx.addIssue({ code: 'custom', path: ['sku'], message: 'A price needs a SKU' });
      if (!/^[A-Za-z]{3}$/.test(cur))
        ctx.addIssue({ code: 'custom', path: [`priceCurrency${i}`], message: 'Use a three-letter currency code' });
      else if (amount && toMinor(amount, cur.toUpperCase()) === undefined)
        ctx.addIssue({ code: 'custom', path: [`priceAmount${i}`], message: `Not an amount in ${cur.toUpperCase()}` });
      if (!amount) ctx.addIssue({ code: 'custom', path: [`priceAmount${i}`], message: 'Enter the price' });
    }
  });

function ProductForm(props: {
  c: Context<WebEnv>;
  raw: Record<string, string>;
  errors: Record<string, string>;
  categories: CategoryNode[];
  brands: Brand[];
}) {
  const { raw, errors } = props;
  const shopCurrency = props.c.get('config').SHOP_CURRENCY;
  return (
    <PostForm action="/admin/products/new" csrf={props.c.get('csrf')} class="admin-form" aria-label="New product">
      <fieldset>
        <legend>Product</legend>
        <Field label="Name" name="name" value={raw.name} error={errors.name} required maxlength={200} />
        <Field
          label="Slug"
          name="slug"
          value={raw.slug}
          error={errors.slug}
          maxlength={120}
          hint="The address in the shop (/p/slug); made from the name when left empty"
        />
        <TextArea
          label="Description"
          name="description"
          value={raw.description}
          error={errors.description}
          rows={5}
          maxlength={10_000}
        />
        <Select
          label="Brand"
          name="brandId"
          value={raw.brandId}
          options={brandOptions(props.brands)}
          error={errors.brandId}
        />
        <Select
          label="Category"
          name="categoryId"
          value={raw.categoryId}
          options={categoryOptions(props.categories)}
          error={errors.categoryId}
        />
        <Select
          label="Status"
          name="status"
          value={raw.status ?? 'draft'}
          options={statusOptions}
          error={errors.status}
          hint="A published product needs a variant with a price"
        />
        <TextArea
          label="Attributes"
          name="attributes"
          value={raw.attributes}
          error={errors.attributes}
          rows={3}
          hint="One per line, as name: value (material: Cotton)"
        />
      </fieldset>
      <fieldset>
        <legend>Images</legend>
        {Array.from({ length: IMAGE_ROWS }, (_, i) => (
          <div class="field-row">
            <Field
              label={`Image ${i + 1} URL`}
              name={`image${i}Url`}
              type="url"
              inputmode="url"
              value={raw[`image${i}Url`]}
              error={errors[`image${i}Url`]}
              maxlength={8192}
            />
            <Field
              label={`Image ${i + 1} alt text`}
              name={`image${i}Alt`}
              value={raw[`image${i}Alt`]}
              error={errors[`image${i}Alt`]}
              maxlength={200}
            />
          </div>
        ))}
      </fieldset>
      <fieldset>
        <legend>First variant</legend>
        <Field
          label="SKU"
          name="sku"
          value={raw.sku}
          error={errors.sku}
          maxlength={64}
          hint="Leave empty to add variants later (the product stays a draft)"
        />
        <TextArea
          label="Options"
          name="options"
          value={raw.options}
          error={errors.options}
          rows={3}
          hint="One per line, as name: value (color: Black)"
        />
        {Array.from({ length: PRICE_ROWS }, (_, i) => (
          <div class="field-row">
            <Field
              label={`Price ${i + 1} currency`}
              name={`priceCurrency${i}`}
              value={raw[`priceCurrency${i}`] ?? (i === 0 ? shopCurrency : '')}
              error={errors[`priceCurrency${i}`]}
              maxlength={3}
            />
            <Field
              label={`Price ${i + 1} amount`}
              name={`priceAmount${i}`}
              inputmode="decimal"
              value={raw[`priceAmount${i}`]}
              error={errors[`priceAmount${i}`]}
              maxlength={16}
              placeholder="19.99"
            />
            <Field
              label={`Price ${i + 1} compare-at`}
              name={`priceCompare${i}`}
              inputmode="decimal"
              value={raw[`priceCompare${i}`]}
              error={errors[`priceCompare${i}`]}
              maxlength={16}
              hint="Optional, the crossed-out price"
            />
          </div>
        ))}
      </fieldset>
      <button type="submit">Create product</button>
    </PostForm>
  );
}

export async function newPage(
  c: Context<WebEnv>,
  state: { raw: Record<string, string>; errors: Record<string, string>; status?: Status } = { raw: {}, errors: {} },
) {
  const { categories, brands } = await taxonomy(c);
  return renderAdmin(c, {
    title: 'New product',
    status: state.status,
    section: '/admin/products/new',
    children: (
      <>
        <Breadcrumb href="/admin/products" label="Products" />
        <h1>New product</h1>
        <Flash error={state.errors._} />
        <ProductForm c={c} raw={state.raw} errors={state.errors} categories={categories} brands={brands} />
      </>
    ),
  });
}

export async function createProduct(c: Context<WebEnv>) {
  const form = await parseForm(c, CreateForm);
  if (!form.ok) {
    return newPage(c, refusedForm(form));
  }
  const f = form.data as z.infer<typeof CreateForm> & Record<string, string>;
  const imageRows: number[] = [];
  const images: { url: string; alt: string }[] = [];
  for (let i = 0; i < IMAGE_ROWS; i++) {
    const url = f[`image${i}Url`];
    if (url) {
      imageRows.push(i);
      images.push({ url, alt: f[`image${i}Alt`] ?? '' });
    }
  }
  const priceRows: number[] = [];
  const prices: { currency: string; amount: number; compareAt: number | null }[] = [];
  for (let i = 0; i < PRICE_ROWS; i++) {
    const amount = f[`priceAmount${i}`];
    if (!amount) continue;
    const currency = (f[`priceCurrency${i}`] ?? '').toUpperCase();
    const compare = f[`priceCompare${i}`];
    priceRows.push(i);
    prices.push({
      currency,
      amount: toMinor(amount, currency) ?? 0,
      compareAt: compare ? (toMinor(compare, currency) ?? null) : null,
    });
  }
  const body = {
    name: f.name,
    ...(f.slug ? { slug: f.slug } : {}),
    description: f.description,
    brandId: f.brandId || null,
    categoryId: f.categoryId || null,
    status: f.status,
    attributes: parsePairs(f.attributes ?? '') as Record<string, string>,
    images,
    variants: f.sku ? [{ sku: f.sku, options: parsePairs(f.options ?? '') as Record<string, string>, prices }] : [],
  };
  const r = await c.get('api').call<Product>(c, 'POST', `${CATALOG}/products`, { json: body });
  if (r.ok && r.body?.id) return c.redirect(`/admin/products/${r.body.id}?done=product-created`, 303);
  const errors = problemErrors(
    r.problem ?? { status: 500 },
    (path) => {
      const [head, a, b, cc] = path.split('.');
      if (head === 'images' && a !== undefined)
        return `image${imageRows[Number(a)] ?? 0}${b === 'alt' ? 'Alt' : 'Url'}`;
      if (head === 'variants') {
        if (b === 'prices' && cc !== undefined) {
          const row = priceRows[Number(cc)] ?? 0;
          const leaf = path.split('.')[4];
          return leaf === 'currency'
            ? `priceCurrency${row}`
            : leaf === 'compareAt'
              ? `priceCompare${row}`
              : `priceAmount${row}`;
        }
        return b === 'options' ? 'options' : 'sku';
      }
      return ['name', 'slug', 'description', 'brandId', 'categoryId', 'status', 'attributes'].includes(head ?? '')
        ? head
        : undefined;
    },
    { slug: 'slug', sku: 'sku', brand: 'brandId', category: 'categoryId', published: 'status' },
  );
  return newPage(c, { raw: form.raw, errors, status: pageStatus(r.status) });
}
