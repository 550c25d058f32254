import { createHash } from 'node:crypto';
import type { Redis } from '@storefront/kit';

export interface LuaScript {
  readonly source: string;
  readonly sha: string;
}

export function lua(source: string): LuaScript {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

// Scripts known to be in each connection's server-side cache. Cleared when the connection
// closes, because the server we reconnect to may be a fresh one (restart, failover).
const loaded = new WeakMap<Redis, Set<string>>();

function loadedOn(redis: Redis): Set<string> {
  let set = loaded.get(redis);
  if (!set) {
    const fresh = new Set<string>();
    redis.on('close', () => fresh.clear());
    loaded.set(redis, fresh);
    set = fresh;
  }
  return set;
}

/**
 * EVALSHA, with the script loaded first (SCRIPT LOAD) on each new connection and EVAL as the
 * fallback when the server lost it anyway (SCRIPT FLUSH). Loading up front rather than waiting
 * for NOSCRIPT matters: the kit's client reconnects on every error reply (reconnectOnError), so
 * a NOSCRIPT costs a reconnect. ioredis prefixes the KEYS; replies come back as Buffers.
 */
export async function runScript(
  redis: Redis,
  script: LuaScript,
  keys: readonly string[],
  args: readonly (string | Buffer)[],
): Promise<unknown> {
  const scripts = loadedOn(redis);
  if (!scripts.has(script.sha)) {
    await redis.script('LOAD', script.source);
    scripts.add(script.sha);
  }
  try {
    return await redis.callBuffer('evalsha', script.sha, keys.length, ...keys, ...args);
  } catch (err) {
    if (!String((err as Error).message).startsWith('NOSCRIPT')) throw err;
    scripts.delete(script.sha);
    return redis.callBuffer('eval', script.source, keys.length, ...keys, ...args);
  }
}
