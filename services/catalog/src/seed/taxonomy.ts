/** The demo store's departments and brands (all brand names invented). */

export interface SeedCategory {
  readonly slug: string;
  readonly name: string;
  readonly parent: string | null;
}

export const CATEGORIES: readonly SeedCategory[] = [
  { slug: 'electronics', name: 'Electronics', parent: null },
  { slug: 'phones', name: 'Phones', parent: 'electronics' },
  { slug: 'laptops', name: 'Laptops', parent: 'electronics' },
  { slug: 'tablets', name: 'Tablets', parent: 'electronics' },
  { slug: 'audio', name: 'Audio', parent: 'electronics' },
  { slug: 'headphones', name: 'Headphones', parent: 'audio' },
  { slug: 'speakers', name: 'Speakers', parent: 'audio' },
  { slug: 'cameras', name: 'Cameras', parent: 'electronics' },
  { slug: 'home', name: 'Home', parent: null },
  { slug: 'kitchen', name: 'Kitchen', parent: 'home' },
  { slug: 'furniture', name: 'Furniture', parent: 'home' },
  { slug: 'bedding', name: 'Bedding', parent: 'home' },
  { slug: 'fashion', name: 'Fashion', parent: null },
  { slug: 'men', name: 'Men', parent: 'fashion' },
  { slug: 'mens-shoes', name: 'Shoes', parent: 'men' },
  { slug: 'mens-tops', name: 'Tops', parent: 'men' },
  { slug: 'women', name: 'Women', parent: 'fashion' },
  { slug: 'womens-shoes', name: 'Shoes', parent: 'women' },
  { slug: 'womens-tops', name: 'Tops', parent: 'women' },
  { slug: 'sports', name: 'Sports', parent: null },
  { slug: 'running', name: 'Running', parent: 'sports' },
  { slug: 'cycling', name: 'Cycling', parent: 'sports' },
  { slug: 'fitness', name: 'Fitness', parent: 'sports' },
  { slug: 'outdoor', name: 'Outdoor', parent: 'sports' },
];

export const BRANDS: readonly { slug: string; name: string }[] = [
  { slug: 'pixelon', name: 'Pixelon' },
  { slug: 'nimbus', name: 'Nimbus' },
  { slug: 'voltra', name: 'Voltra' },
  { slug: 'kestrel', name: 'Kestrel' },
  { slug: 'sonique', name: 'Sonique' },
  { slug: 'aurion', name: 'Aurion' },
  { slug: 'lumetra', name: 'Lumetra' },
  { slug: 'hearthstone', name: 'Hearthstone' },
  { slug: 'copperleaf', name: 'Copperleaf' },
  { slug: 'oakhaven', name: 'Oakhaven' },
  { slug: 'duvetta', name: 'Duvetta' },
  { slug: 'stridewell', name: 'Stridewell' },
  { slug: 'fleetfoot', name: 'Fleetfoot' },
  { slug: 'loomcraft', name: 'Loomcraft' },
  { slug: 'velora', name: 'Velora' },
  { slug: 'northpeak', name: 'Northpeak' },
  { slug: 'ridgeline', name: 'Ridgeline' },
  { slug: 'ironform', name: 'Ironform' },
];

/** The top-level department of a category slug, for image colours. */
export function departmentOf(slug: string): string {
  let at = CATEGORIES.find((c) => c.slug === slug);
  while (at?.parent) {
    const parent: string = at.parent;
    at = CATEGORIES.find((c) => c.slug === parent);
  }
  return at?.slug ?? slug;
}
