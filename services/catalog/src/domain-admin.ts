/** Pure parts of the staff product list: what `q` means there. */

export const MAX_STAFF_WORDS = 8;

/** `\`, `%` and `_` are LIKE's own characters; escaped, a word matches only itself. */
export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/**
 * Staff search text → ILIKE patterns, one per word (split on white space, case folded, repeats
 * dropped, at most MAX_STAFF_WORDS): a product matches when each word is part of its name, its
 * slug or one of its SKUs. Words are kept whole otherwise, so "PXL-P7" or "p7-android" match as
 * typed. Empty text → no patterns (no search).
 */
export function staffSearchPatterns(q: string): string[] {
  const words = q
    .normalize('NFKC')
    .toLowerCase()
    .split(/\s+/u)
    .filter((w) => w.length > 0);
  return [...new Set(words)].slice(0, MAX_STAFF_WORDS).map((w) => `%${escapeLike(w)}%`);
}
