/**
 * A bounded LRU of verified tokens until their expiry: ES256 verification is ~5k/s per process,
 * and the same token arrives on every request of a page. Entries are checked against the clock
 * on every hit, so a cached token never outlives its `exp`.
 */
export interface TokenCache<V> {
  get(token: string, nowMs: number): V | undefined;
  set(token: string, value: V, expiresAtMs: number): void;
  readonly size: number;
}

export function createTokenCache<V>(maxEntries: number): TokenCache<V> {
  const entries = new Map<string, { value: V; expiresAtMs: number }>();
  return {
    get(token, nowMs) {
      const hit = entries.get(token);
      if (!hit) return undefined;
      entries.delete(token);
      if (hit.expiresAtMs <= nowMs) return undefined;
      // Re-insert so Map order is least recently used first.
      entries.set(token, hit);
      return hit.value;
    },
    set(token, value, expiresAtMs) {
      if (maxEntries <= 0) return;
      entries.delete(token);
      entries.set(token, { value, expiresAtMs });
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done) break;
        entries.delete(oldest.value);
      }
    },
    get size() {
      return entries.size;
    },
  };
}
