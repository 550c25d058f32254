import { ServiceUnavailable, type z } from '@storefront/kit';

/**
 * A GET to another service that answers JSON, bounded by a timeout. Any failure — refused,
 * timed out, a non-2xx answer, a body of the wrong shape — is an `UpstreamFailed`, which callers
 * either degrade around or let through as a 503 (never a 500).
 */
export class UpstreamFailed extends ServiceUnavailable {
  constructor(service: string, why: string) {
    super(`${service} is not answering right now; try again shortly`, { extensions: { upstream: service } });
    this.cause = why;
  }
}

export type FetchLike = (
  url: string,
  init: { signal: AbortSignal; headers: Record<string, string> },
) => Promise<Response>;

export async function getJson<T extends z.ZodType>(
  service: string,
  url: string,
  schema: T,
  opts: { timeoutMs: number; fetch?: FetchLike },
): Promise<z.infer<T>> {
  const doFetch = opts.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(url, { signal: AbortSignal.timeout(opts.timeoutMs), headers: { accept: 'application/json' } });
  } catch (err) {
    throw new UpstreamFailed(service, `request failed: ${(err as Error).message}`);
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => {});
    throw new UpstreamFailed(service, `answered ${res.status}`);
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new UpstreamFailed(service, 'answered a body that is not JSON');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new UpstreamFailed(service, `answered an unexpected shape: ${parsed.error.message}`);
  return parsed.data;
}

/** `base` + path + repeated query parameters, e.g. `?sku=A&sku=B&currency=USD`. */
export function urlWith(base: string, path: string, query: Record<string, string | readonly string[]>): string {
  const u = new URL(path.replace(/^\//, ''), base.endsWith('/') ? base : `${base}/`);
  for (const [k, v] of Object.entries(query)) {
    for (const x of typeof v === 'string' ? [v] : v) u.searchParams.append(k, x);
  }
  return u.toString();
}
