import type { Context } from 'hono';
import { z } from 'zod';
import type { WebEnv } from '../env.ts';
import { notFoundPage } from '../errors.tsx';
import { parseForm, parseParam } from '../validate.ts';
import {
  CATALOG,
  CurrencyParam,
  currencyText,
  idParam,
  moneyText,
  type Product,
  pairsText,
  parsePairs,
  SkuParam,
  toMinor,
} from './catalog-lib.ts';
import { afterWrite, invalid } from './catalog-product-edit.tsx';
import { altText, imageUrl, optionalUuid, skuText, slugText } from './catalog-product-shared.ts';

// Writes from the edit page: details, images, variants, prices.

const DetailsForm = z.object({
  name: z.string().trim().min(1, 'Enter a name').max(200, 'At most 200 characters'),
  slug: slugText.refine((s) => s.length > 0, 'Enter a slug'),
  description: z.string().max(10_000, 'At most 10,000 characters').default(''),
  brandId: optionalUuid.default(''),
  categoryId: optionalUuid.default(''),
  status: z.enum(['draft', 'published', 'archived'], 'Choose a status'),
  attributes: pairsText('Attributes').default(''),
});

const detailFields = new Set(['name', 'slug', 'description', 'brandId', 'categoryId', 'status', 'attributes']);
const fieldOf = (path: string) => {
  const head = path.split('.')[0] ?? '';
  return detailFields.has(head) ? head : undefined;
};

export async function saveDetails(c: Context<WebEnv>) {
  const id = idParam(c);
  if (!id) return notFoundPage(c, 'product');
  const form = await parseForm(c, DetailsForm);
  if (!form.ok) return invalid(c, id, 'details', form);
  const f = form.data;
  const r = await c.get('api').call(c, 'PATCH', `${CATALOG}/products/${id}`, {
    json: {
      name: f.name,
      slug: f.slug,
      description: f.description,
      brandId: f.brandId || null,
      categoryId: f.categoryId || null,
      status: f.status,
      attributes: parsePairs(f.attributes),
    },
  });
  return afterWrite(c, id, r, {
    form: 'details',
    raw: form.raw,
    done: 'product-saved',
    map: fieldOf,
    guess: { slug: 'slug', brand: 'brandId', category: 'categoryId', published: 'status', price: 'status' },
  });
}

const ImageForm = z.object({
  url: imageUrl.refine((s) => s.length > 0, 'Enter the image address'),
  alt: altText.default(''),
});

export async function addImage(c: Context<WebEnv>) {
  const id = idParam(c);
  if (!id) return notFoundPage(c, 'product');
  const form = await parseForm(c, ImageForm);
  if (!form.ok) return invalid(c, id, 'image-add', form);
  const api = c.get('api');
  const product = await api.get<Product>(c, `${CATALOG}/products/${id}`);
  const images = [...product.images.map((i) => ({ url: i.url, alt: i.alt })), form.data];
  const r = await api.call(c, 'PATCH', `${CATALOG}/products/${id}`, { json: { images } });
  return afterWrite(c, id, r, {
    form: 'image-add',
    raw: form.raw,
    done: 'image-added',
    anchor: 's-images',
    map: (p) => (p.endsWith('alt') ? 'alt' : 'url'),
  });
}

const RemoveImage = z.object({ index: z.coerce.number().int().min(0).max(99), url: z.string().max(8192).default('') });

export async function removeImage(c: Context<WebEnv>) {
  const id = idParam(c);
  if (!id) return notFoundPage(c, 'product');
  const form = await parseForm(c, RemoveImage);
  const api = c.get('api');
  const product = await api.get<Product>(c, `${CATALOG}/products/${id}`);
  if (!form.ok) return c.redirect(`/admin/products/${id}`, 303);
  // The index is what the page showed; if the list changed since, the URL finds the image.
  let at = form.data.index;
  if (product.images[at]?.url !== form.data.url && form.data.url) {
    at = product.images.findIndex((i) => i.url === form.data.url);
  }
  if (at < 0 || at >= product.images.length) return c.redirect(`/admin/products/${id}?done=image-removed`, 303);
  const images = product.images.filter((_, i) => i !== at).map((i) => ({ url: i.url, alt: i.alt }));
  const r = await api.call(c, 'PATCH', `${CATALOG}/products/${id}`, { json: { images } });
  return afterWrite(c, id, r, { form: 'images', raw: {}, done: 'image-removed', anchor: 's-images' });
}

const VariantForm = z
  .object({
    sku: skuText,
    options: pairsText('Options').default(''),
    currency: z.string().trim().max(3).default(''),
    amount: moneyText.default(''),
  })
  .superRefine((f, ctx) => {
    if (!f.amount) return;
    if (!/^[A-Za-z]{3}$/.test(f.currency))
      ctx.addIssue({ code: 'custom', path: ['currency'], message: 'Use a three-letter currency code' });
    else if (toMinor(f.amount, f.currency.toUpperCase()) === undefined)
      ctx.addIssue({ code: 'custom', path: ['amount'], message: `Not an amount in ${f.currency.toUpperCase()}` });
  });

export async function addVariant(c: Context<WebEnv>) {
  const id = idParam(c);
  if (!id) return notFoundPage(c, 'product');
  const form = await parseForm(c, VariantForm);
  if (!form.ok) return invalid(c, id, 'variant-add', form);
  const f = form.data;
  const currency = f.currency.toUpperCase();
  const prices = f.amount ? [{ currency, amount: toMinor(f.amount, currency) ?? 0 }] : [];
  const r = await c.get('api').call(c, 'POST', `${CATALOG}/products/${id}/variants`, {
    json: { sku: f.sku, options: parsePairs(f.options), prices },
  });
  return afterWrite(c, id, r, {
    form: 'variant-add',
    raw: form.raw,
    done: 'variant-added',
    anchor: 's-variants-and-prices',
    map: (p) => (p.startsWith('options') ? 'options' : p.startsWith('prices') ? 'amount' : 'sku'),
    guess: { sku: 'sku' },
  });
}

const OptionsForm = z.object({ options: pairsText('Options').default('') });

function variantParams(c: Context<WebEnv>) {
  const id = idParam(c);
  const sku = parseParam(c.req.param('sku'), SkuParam);
  return id && sku ? { id, sku } : undefined;
}

export async function saveOptions(c: Context<WebEnv>) {
  const p = variantParams(c);
  if (!p) return notFoundPage(c, 'variant');
  const form = await parseForm(c, OptionsForm);
  if (!form.ok) return invalid(c, p.id, `variant:${p.sku}`, form);
  const r = await c.get('api').call(c, 'PATCH', `${CATALOG}/variants/${encodeURIComponent(p.sku)}`, {
    json: { options: parsePairs(form.data.options) },
  });
  return afterWrite(c, p.id, r, {
    form: `variant:${p.sku}`,
    raw: form.raw,
    done: 'variant-saved',
    map: () => 'options',
  });
}

export async function deleteVariant(c: Context<WebEnv>) {
  const p = variantParams(c);
  if (!p) return notFoundPage(c, 'variant');
  const r = await c.get('api').call(c, 'DELETE', `${CATALOG}/variants/${encodeURIComponent(p.sku)}`);
  return afterWrite(c, p.id, r, {
    form: `variant:${p.sku}`,
    raw: {},
    done: 'variant-deleted',
    anchor: 's-variants-and-prices',
  });
}

const PriceForm = z
  .object({
    currency: currencyText,
    amount: moneyText.refine((s) => s.length > 0, 'Enter the price'),
    compareAt: moneyText.default(''),
    new: z.string().max(1).optional(),
  })
  .superRefine((f, ctx) => {
    if (toMinor(f.amount, f.currency) === undefined)
      ctx.addIssue({ code: 'custom', path: ['amount'], message: `Not an amount in ${f.currency}` });
    if (f.compareAt && toMinor(f.compareAt, f.currency) === undefined)
      ctx.addIssue({ code: 'custom', path: ['compareAt'], message: `Not an amount in ${f.currency}` });
  });

export async function setPrice(c: Context<WebEnv>) {
  const p = variantParams(c);
  if (!p) return notFoundPage(c, 'variant');
  const form = await parseForm(c, PriceForm);
  const rawCurrency = (form.raw.currency ?? '').toUpperCase();
  const formKey =
    form.raw.new || !/^[A-Z]{3}$/.test(rawCurrency) ? `price-add:${p.sku}` : `price:${p.sku}:${rawCurrency}`;
  if (!form.ok) return invalid(c, p.id, formKey, form);
  const { currency, amount, compareAt } = form.data;
  const r = await c.get('api').call(c, 'PUT', `${CATALOG}/variants/${encodeURIComponent(p.sku)}/prices/${currency}`, {
    json: {
      amount: toMinor(amount, currency),
      compareAt: compareAt ? toMinor(compareAt, currency) : null,
    },
  });
  return afterWrite(c, p.id, r, {
    form: formKey,
    raw: form.raw,
    done: 'price-saved',
    anchor: 's-variants-and-prices',
    map: (path) => (path.startsWith('compareAt') ? 'compareAt' : path.startsWith('amount') ? 'amount' : undefined),
  });
}

export async function removePrice(c: Context<WebEnv>) {
  const p = variantParams(c);
  const currency = parseParam(c.req.param('currency'), CurrencyParam);
  if (!p || !currency) return notFoundPage(c, 'price');
  const r = await c.get('api').call(c, 'DELETE', `${CATALOG}/variants/${encodeURIComponent(p.sku)}/prices/${currency}`);
  return afterWrite(c, p.id, r, {
    form: `price:${p.sku}:${currency}`,
    raw: {},
    done: 'price-removed',
    anchor: 's-variants-and-prices',
  });
}
