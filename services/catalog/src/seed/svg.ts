/**
 * Placeholder product images that work offline: a small SVG as a data URL (no files, no network),
 * coloured by department and lettered with the brand's initials.
 */
export function productImage(opts: { label: string; initials: string; hue: number; detail?: boolean }): string {
  const { hue, label, initials } = opts;
  const shape = opts.detail
    ? `<rect x='110' y='80' width='180' height='180' rx='24' fill='hsl(${hue},40%,72%)'/>`
    : `<circle cx='200' cy='170' r='92' fill='hsl(${hue},40%,72%)'/>`;
  const svg =
    `<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 400 400'>` +
    `<rect width='400' height='400' fill='hsl(${hue},45%,92%)'/>${shape}` +
    `<text x='200' y='192' font-family='sans-serif' font-size='60' font-weight='700' text-anchor='middle' ` +
    `fill='hsl(${hue},35%,25%)'>${initials}</text>` +
    `<text x='200' y='335' font-family='sans-serif' font-size='34' text-anchor='middle' ` +
    `fill='hsl(${hue},30%,30%)'>${label}</text></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}
