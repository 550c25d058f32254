/**
 * Content slots of the shop pages. There is no content service yet, so the home page's hero is
 * this static block (shipped with web, changed by a deploy); the slot's shape is what a content
 * service would answer, so swapping the source later does not touch the page.
 */
export interface ContentSlot {
  readonly id: string;
  readonly eyebrow?: string;
  readonly heading: string;
  readonly text: string;
  readonly cta: { readonly label: string; readonly href: string };
  readonly secondary?: { readonly label: string; readonly href: string };
}

export const HOME_HERO: ContentSlot = {
  id: 'home-hero',
  eyebrow: 'New this week',
  heading: 'Fresh arrivals for every day',
  text: 'Standard delivery is free on orders over $50, pick up in store at no cost, and returns are free within 30 days of delivery.',
  cta: { label: 'Shop new arrivals', href: '/search?sort=newest' },
  secondary: { label: 'Browse electronics', href: '/c/electronics' },
};

export const HOME_PROMO: ContentSlot = {
  id: 'home-promo',
  heading: 'Pick up in store',
  text: 'Choose "Pick up in store" at checkout and collect your order from our downtown store.',
  cta: { label: 'See what is in store', href: '/search?sort=newest' },
};
