/**
 * zod → JSON Schema in the two dialects we ship. zod's output is close to both but not equal:
 * a CRD needs a *structural* OpenAPI v3 schema (no `additionalProperties: false`, no `const`,
 * no `$ref`, no huge integer bounds), while Helm's values.schema.json is plain JSON Schema where
 * we do want `additionalProperties: false` so that a typo in a values file fails the install.
 */
import { z } from 'zod';

type Json = Record<string, unknown>;
const SAFE_INT = Number.MAX_SAFE_INTEGER;

function walk(node: unknown, visit: (o: Json) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, visit);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const o = node as Json;
  visit(o);
  for (const [key, value] of Object.entries(o)) {
    // `default` and `enum` hold data, not schemas.
    if (key !== 'default' && key !== 'enum') walk(value, visit);
  }
}

function dropUnboundedIntegers(o: Json): void {
  if (o.minimum === -SAFE_INT) delete o.minimum;
  if (o.maximum === SAFE_INT) delete o.maximum;
}

/** The OpenAPI v3 schema the API server accepts as a structural CRD schema. */
export function toStructuralSchema(schema: z.ZodType): Json {
  const out = z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'throw' }) as Json;
  walk(out, (o) => {
    delete o.$schema;
    delete o.uniqueItems;
    if (o.additionalProperties === false) delete o.additionalProperties;
    if ('const' in o) {
      o.enum = [o.const];
      delete o.const;
    }
    if ('$ref' in o || '$defs' in o) throw new Error('CRD schemas cannot hold $ref; inline the schema');
    dropUnboundedIntegers(o);
  });
  return out;
}

/** JSON Schema (draft-07) for a Helm values.schema.json: strict objects, no Kubernetes extensions. */
export function toValuesSchema(schema: z.ZodType): Json {
  const out = z.toJSONSchema(schema, { target: 'draft-7', io: 'input', unrepresentable: 'throw' }) as Json;
  walk(out, (o) => {
    dropUnboundedIntegers(o);
    for (const key of Object.keys(o)) if (key.startsWith('x-kubernetes-')) delete o[key];
    if (o.type === 'object' && o.properties && o.additionalProperties === undefined) o.additionalProperties = false;
  });
  return out;
}
