import { type Image, type Price, type ProductStatus, slugify } from '../domain.ts';
import { hash32, type Rng, rng, uuidAt } from './prng.ts';
import { productImage } from './svg.ts';
import { BRANDS, departmentOf } from './taxonomy.ts';
import { TEMPLATES, type Template } from './templates.ts';

/** One generated product, complete with variants, prices and reviews. Pure: (seed, index) → product. */
export interface SeedProduct {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly description: string;
  readonly brandSlug: string;
  readonly categorySlug: string;
  readonly status: ProductStatus;
  readonly attributes: Record<string, string>;
  readonly images: Image[];
  readonly createdAt: Date;
  readonly variants: { id: string; sku: string; options: Record<string, string>; position: number; prices: Price[] }[];
  readonly reviews: SeedReview[];
}

export interface SeedReview {
  readonly id: string;
  readonly author: string;
  readonly rating: number;
  readonly title: string;
  readonly body: string;
  readonly createdAt: Date;
}

const MODELS = ['Nova', 'Aero', 'Flux', 'Edge', 'Pulse', 'Vista', 'Echo', 'Orbit', 'Terra', 'Halo', 'Apex', 'Swift'];
const MODEL_SUFFIX = ['', '', '', ' Plus', ' Lite', ' Max'];
const AUTHORS = ['Maya R.', 'Jonas K.', 'Priya S.', 'Tom B.', 'Aiko M.', 'Lucas F.', 'Sofia G.', 'Omar H.', 'Nina P.'];
const REVIEWS: Record<number, [string, string][]> = {
  5: [
    ['Love it', 'Exactly as described and better in person. Would buy again.'],
    ['Excellent', 'Great quality for the price; arrived quickly and well packed.'],
  ],
  4: [['Very good', 'Does the job well. One small niggle, but happy overall.']],
  3: [['It is fine', 'Decent, nothing special. Took a while to get used to.']],
  2: [['Disappointed', 'Quality is lower than I expected from the photos.']],
  1: [['Not for me', 'Returned it; it did not work out for what I needed.']],
};
const RATINGS = [5, 5, 5, 4, 4, 4, 4, 3, 2, 1];
const HUES: Record<string, number> = { electronics: 212, home: 28, fashion: 330, sports: 140 };
const BASE_MS = Date.UTC(2025, 0, 1);
const YEAR_MINUTES = 365 * 24 * 60;
const TOTAL_WEIGHT = TEMPLATES.reduce((s, t) => s + t.weight, 0);

function pickTemplate(r: Rng): Template {
  let x = r.next() * TOTAL_WEIGHT;
  for (const t of TEMPLATES) {
    x -= t.weight;
    if (x < 0) return t;
  }
  return TEMPLATES[0] as Template;
}

const fill = (text: string, values: Record<string, string>) =>
  text.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? k);

/** Price in minor units ending in .99, from a whole-dollar base and an exchange rate. */
const retail = (usd: number, rate: number) => Math.max(1, Math.round(usd * rate)) * 100 - 1;

export function seedProduct(seed: number, index: number): SeedProduct {
  const r = rng(hash32('catalog-product', seed, index));
  const t = pickTemplate(r);
  const brandSlug = r.pick(t.brands);
  const brand = BRANDS.find((b) => b.slug === brandSlug) ?? { slug: brandSlug, name: brandSlug };
  const model = `${r.pick(MODELS)}${r.chance(0.75) ? ` ${r.int(2, 9)}` : ''}${r.pick(MODEL_SUFFIX)}`;
  const name = fill(r.pick(t.names), { brand: brand.name, model, size: String(r.pick([13, 14, 15, 16])) });
  const attributes = t.attributes(r);
  const createdMs = BASE_MS + r.int(0, YEAR_MINUTES) * 60_000 + (index % 60_000);
  const description = t.describe
    .filter((_, i) => i === 0 || r.chance(0.7))
    .map((s) => fill(s, { name, brand: brand.name, ...attributes }))
    .join(' ');

  // Up to four values of the first axis and two of the second: at most eight variants.
  const axes = Object.entries(t.axes).map(([axis, values], i) => ({
    axis,
    values: r.sample(values, i === 0 ? r.int(1, Math.min(4, values.length)) : r.int(1, 2)),
    all: values,
  }));
  let combos: Record<string, string>[] = [{}];
  for (const { axis, values } of axes) combos = combos.flatMap((c) => values.map((v) => ({ ...c, [axis]: v })));

  const baseUsd = Math.round(t.usd[0] + (t.usd[1] - t.usd[0]) * r.next() ** 2);
  const onSale = r.chance(0.15);
  const inGbp = r.chance(0.5);
  const code = brand.name.slice(0, 3).toUpperCase();
  const variants = combos.map((options, position) => {
    const stepAxis = t.step ? axes.find((a) => a.axis === t.step?.axis) : undefined;
    const stepIndex = stepAxis ? stepAxis.all.indexOf(options[stepAxis.axis] ?? '') : 0;
    const usd = baseUsd + (t.step ? t.step.usd * Math.max(0, stepIndex) : 0);
    const price = (currency: string, rate: number): Price => ({
      currency,
      amount: retail(usd, rate),
      compareAt: onSale ? retail(usd * 1.25, rate) : null,
    });
    return {
      id: uuidAt(createdMs, r),
      sku: `${code}-${index.toString(36).toUpperCase()}-${String(position).padStart(2, '0')}`,
      options,
      position,
      prices: [price('EUR', 0.92), ...(inGbp ? [price('GBP', 0.79)] : []), price('USD', 1)],
    };
  });

  const hue = (HUES[departmentOf(t.category)] ?? 200) + (hash32(brand.slug) % 24);
  const initials = brand.name.slice(0, 2).toUpperCase();
  const images: Image[] = [{ url: productImage({ label: t.label, initials, hue }), alt: name }];
  // A second picture for the first few thousand: the demo store has galleries, bulk loads stay lean.
  if (index < 2000)
    images.push({ url: productImage({ label: t.label, initials, hue, detail: true }), alt: `${name}, detail` });

  const reviews = r.chance(0.45)
    ? r.sample(AUTHORS, r.int(1, 6)).map((author, k) => {
        const rating = r.pick(RATINGS);
        const [title, body] = r.pick(REVIEWS[rating] ?? []);
        const at = createdMs + (k + 1) * r.int(1, 20) * 86_400_000;
        return { id: uuidAt(at, r), author, rating, title, body, createdAt: new Date(at) };
      })
    : [];

  return {
    id: uuidAt(createdMs, r),
    slug: `${slugify(name, 100)}-${index}`,
    name,
    description,
    brandSlug: brand.slug,
    categorySlug: t.category,
    status: index % 41 === 40 ? 'draft' : index % 103 === 102 ? 'archived' : 'published',
    attributes,
    images,
    createdAt: new Date(createdMs),
    variants,
    reviews,
  };
}
