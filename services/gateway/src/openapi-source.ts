import type { Logger } from '@storefront/kit';
import type { Dispatcher } from 'undici';
import { isObject, type JsonObject, type MergedDoc, mergeOpenApi, type ServiceDoc } from './openapi-merge.ts';
import type { Upstream } from './upstreams.ts';

export interface OpenApiSourceOptions {
  readonly upstreams: () => readonly Upstream[];
  readonly dispatcher: Dispatcher;
  readonly cacheMs: number;
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
  readonly now?: () => number;
  readonly log?: Logger;
}

export interface OpenApiSource {
  get(): Promise<MergedDoc>;
}

async function fetchDoc(up: Upstream, opts: OpenApiSourceOptions): Promise<JsonObject> {
  const timeout = opts.timeoutMs ?? 2_000;
  const res = await opts.dispatcher.request({
    origin: up.origin,
    path: `${up.basePath}/openapi.json`,
    method: 'GET',
    headers: { accept: 'application/json' },
    headersTimeout: timeout,
    bodyTimeout: timeout,
    signal: AbortSignal.timeout(timeout),
  });
  const max = opts.maxBytes ?? 5_000_000;
  if (res.statusCode !== 200 || Number(res.headers['content-length'] ?? 0) > max) {
    await res.body.dump();
    throw new Error(`answered ${res.statusCode}`);
  }
  const text = await res.body.text();
  if (text.length > max) throw new Error('document too large');
  const doc = JSON.parse(text) as unknown;
  if (!isObject(doc) || !isObject(doc.paths)) throw new Error('not an OpenAPI document');
  return doc;
}

/**
 * The merged API description, rebuilt at most every `cacheMs` and by one caller at a time.
 * A service that is down, slow or answers nonsense is left out and named in `x-unavailable`;
 * an upstream whose circuit is open is not even asked.
 */
export function createOpenApiSource(opts: OpenApiSourceOptions): OpenApiSource {
  const now = opts.now ?? Date.now;
  let cached: { doc: MergedDoc; at: number } | undefined;
  let building: Promise<MergedDoc> | undefined;

  async function build(): Promise<MergedDoc> {
    const ups = opts.upstreams().filter((u) => u.name !== 'web');
    const results = await Promise.all(
      ups.map(async (up): Promise<ServiceDoc | string> => {
        if (up.circuit.state === 'open') return up.name;
        try {
          return { service: up.name, doc: await fetchDoc(up, opts) };
        } catch (err) {
          opts.log?.debug({ err, upstream: up.name }, 'openapi document unavailable');
          return up.name;
        }
      }),
    );
    const docs = results.filter((r): r is ServiceDoc => typeof r !== 'string');
    const unavailable = results.filter((r): r is string => typeof r === 'string');
    return mergeOpenApi(docs, unavailable, {
      title: 'Storefront API',
      version: '1',
      description: 'Every service behind the gateway, under /api/<service>.',
    });
  }

  return {
    async get() {
      if (cached && now() - cached.at < opts.cacheMs) return cached.doc;
      building ??= build().finally(() => {
        building = undefined;
      });
      const doc = await building;
      cached = { doc, at: now() };
      return doc;
    },
  };
}
