/**
 * Where the shop delivers, for the address form and the cart's tax estimate. The cart service's
 * tax table (TAX_RATES) is the authority: a region it does not know is answered
 * `unknown_tax_region`, which the page shows as "we do not deliver there".
 */
export const COUNTRIES: readonly { code: string; name: string }[] = [
  { code: 'US', name: 'United States' },
  { code: 'GB', name: 'United Kingdom' },
  { code: 'DE', name: 'Germany' },
  { code: 'FR', name: 'France' },
  { code: 'NL', name: 'Netherlands' },
  { code: 'IE', name: 'Ireland' },
];

export const COUNTRY_CODES = COUNTRIES.map((c) => c.code) as [string, ...string[]];

/** Choices for the cart's estimate: a few US states with their own rate, then countries. */
export const TAX_REGIONS: readonly { code: string; name: string }[] = [
  { code: 'US-CA', name: 'United States — California' },
  { code: 'US-NY', name: 'United States — New York' },
  { code: 'US-OR', name: 'United States — Oregon' },
  { code: 'US-TX', name: 'United States — Texas' },
  { code: 'US-WA', name: 'United States — Washington' },
  { code: 'US', name: 'United States — another state' },
  { code: 'GB', name: 'United Kingdom' },
  { code: 'DE', name: 'Germany' },
  { code: 'FR', name: 'France' },
  { code: 'NL', name: 'Netherlands' },
  { code: 'IE', name: 'Ireland' },
];

/** The tax region of an address: "US-CA" for a US state code, else the country. */
export function taxRegionOf(country: string, region: string | undefined): string {
  const r = (region ?? '').trim().toUpperCase();
  if (country === 'US' && /^[A-Z]{2}$/.test(r)) return `US-${r}`;
  return country;
}

export function regionName(code: string | null | undefined): string {
  if (!code) return '';
  return TAX_REGIONS.find((r) => r.code === code)?.name ?? code;
}
