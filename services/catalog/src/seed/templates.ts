import type { Rng } from './prng.ts';
import { ELECTRONICS } from './templates-electronics.ts';
import { LIFESTYLE } from './templates-lifestyle.ts';

/** A kind of product the generator can make many believable instances of. */
export interface Template {
  /** Leaf category slug. */
  readonly category: string;
  /** Relative frequency in the store. */
  readonly weight: number;
  readonly brands: readonly string[];
  /** Name patterns with {brand}, {model} and {size}. */
  readonly names: readonly string[];
  /** Short word drawn on the placeholder image. */
  readonly label: string;
  /** Base price range in US dollars. */
  readonly usd: readonly [number, number];
  readonly attributes: (r: Rng) => Record<string, string>;
  /** Variant option axes and their possible values. */
  readonly axes: Readonly<Record<string, readonly string[]>>;
  /** Each later value on this axis costs this much more (storage, memory, bed size). */
  readonly step?: { readonly axis: string; readonly usd: number };
  /** Description sentences with {name}, {brand} and {attribute} placeholders. */
  readonly describe: readonly string[];
}

export const TEMPLATES: readonly Template[] = [...ELECTRONICS, ...LIFESTYLE];
