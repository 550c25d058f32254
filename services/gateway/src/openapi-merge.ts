/**
 * One OpenAPI document for the whole public API, from each service's own /openapi.json: paths
 * gain the `/api/<service>` prefix the gateway routes them under, components gain a
 * `<service>.` prefix (two services may both have a `Product`), and every `$ref` follows.
 */
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

export interface ServiceDoc {
  readonly service: string;
  readonly doc: JsonObject;
}

export interface MergedDoc extends JsonObject {
  paths: { [path: string]: JsonObject };
  components: { [type: string]: JsonObject };
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const MAX_DEPTH = 64;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Copies `value`, rewriting local component references to their prefixed names. */
function prefixRefs(value: Json, service: string, depth = 0): Json {
  if (depth > MAX_DEPTH) return null;
  if (Array.isArray(value)) return value.map((v) => prefixRefs(v, service, depth + 1));
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === '$ref' && typeof v === 'string') {
      out[k] = v.replace(/^#\/components\/([^/]+)\/(.+)$/, (_, type: string, name: string) => {
        return `#/components/${type}/${service}.${name}`;
      });
    } else {
      out[k] = prefixRefs(v, service, depth + 1);
    }
  }
  return out;
}

export function mergeOpenApi(
  docs: readonly ServiceDoc[],
  unavailable: readonly string[],
  info: { title: string; version: string; description?: string },
): MergedDoc {
  const merged: MergedDoc = {
    openapi: '3.1.0',
    info: { ...info },
    servers: [{ url: '/' }],
    tags: [],
    paths: {},
    components: {},
    'x-unavailable': [...unavailable],
  };
  const tags = merged.tags as JsonObject[];
  for (const { service, doc } of docs) {
    const docInfo = isObject(doc.info) ? doc.info : {};
    tags.push({
      name: service,
      description: typeof docInfo.description === 'string' && docInfo.description ? docInfo.description : service,
    });
    const paths = isObject(doc.paths) ? doc.paths : {};
    for (const [path, item] of Object.entries(paths)) {
      if (!isObject(item) || !path.startsWith('/')) continue;
      const copy = prefixRefs(item, service) as JsonObject;
      for (const method of METHODS) {
        const op = copy[method];
        if (!isObject(op)) continue;
        op.tags = [service];
        op['x-service'] = service;
        if (typeof op.operationId === 'string') op.operationId = `${service}.${op.operationId}`;
      }
      merged.paths[`/api/${service}${path === '/' ? '' : path}`] = copy;
    }
    const components = isObject(doc.components) ? doc.components : {};
    for (const [type, entries] of Object.entries(components)) {
      if (!isObject(entries)) continue;
      merged.components[type] ??= {};
      const target = merged.components[type];
      for (const [name, value] of Object.entries(entries)) target[`${service}.${name}`] = prefixRefs(value, service);
    }
  }
  return merged;
}
