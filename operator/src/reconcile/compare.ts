/**
 * "Is everything we want already there?" A live object is a superset of what we applied (the server
 * adds defaults and status, other managers add fields), so desired ⊆ live means nothing to write.
 * That check is what makes a second reconcile write nothing, and a failed check is drift.
 */
const QUANTITY = /^([0-9]+(?:\.[0-9]+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/;
const FACTORS: Record<string, number> = {
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

/** The server canonicalises quantities (`0.5` → `500m`); compare them by value. */
function sameQuantity(a: string, b: string): boolean {
  const ma = QUANTITY.exec(a);
  const mb = QUANTITY.exec(b);
  if (!ma || !mb) return false;
  const value = (m: RegExpExecArray) => Number(m[1]) * (m[2] ? (FACTORS[m[2]] ?? 1) : 1);
  return Math.abs(value(ma) - value(mb)) < 1e-9;
}

export function isSubset(desired: unknown, live: unknown): boolean {
  if (desired === live) return true;
  if (typeof desired === 'string' && typeof live === 'string') return sameQuantity(desired, live);
  if (Array.isArray(desired)) {
    // Same length: a list we own is replaced as a whole, so an extra element is drift too.
    return Array.isArray(live) && live.length === desired.length && desired.every((d, i) => isSubset(d, live[i]));
  }
  if (desired && typeof desired === 'object') {
    if (!live || typeof live !== 'object' || Array.isArray(live)) return false;
    const l = live as Record<string, unknown>;
    return Object.entries(desired).every(([key, value]) => isSubset(value, l[key]));
  }
  return false;
}
