import type { Context } from 'hono';
import { type z, config as zconfig } from 'zod';
import type { WebEnv } from './env.ts';
import { formFields } from './session.ts';

/** A query string that does not fit a page's schema: a 400 page that says which parameter. */
export class BadInput extends Error {
  readonly messages: readonly string[];
  /** The query parameters that did not fit (for the page: names only, never what was sent). */
  readonly fields: readonly string[];
  /** Messages a page's schema wrote for people (zod's own wording is for developers, so left out). */
  readonly explanations: readonly string[];
  constructor(messages: readonly string[], fields: readonly string[] = [], explanations: readonly string[] = []) {
    super(messages.join('; '));
    this.messages = messages;
    this.fields = fields;
    this.explanations = explanations;
    this.name = 'BadInput';
  }
}

function messages(error: z.ZodError): string[] {
  return error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
}

/** zod's default wording for an issue, to tell a schema's own message from it. */
function defaultMessage(issue: z.core.$ZodIssue): string | undefined {
  try {
    const out = zconfig().localeError?.({ ...issue, input: undefined } as never);
    return typeof out === 'string' ? out : out?.message;
  } catch {
    return undefined;
  }
}

/** Messages written by a schema for people (`z.string().regex(re, 'Use …')`), deduplicated. */
function explanations(error: z.ZodError): string[] {
  const own = error.issues.filter((i) => i.message && i.message !== defaultMessage(i)).map((i) => i.message);
  return [...new Set(own)];
}

/** Every page's query parameters go through a schema; extra parameters are ignored. */
export function parseQuery<S extends z.ZodType>(c: Context<WebEnv>, schema: S): z.infer<S> {
  const r = schema.safeParse(c.req.query());
  if (!r.success) {
    const fields = [...new Set(r.error.issues.map((i) => String(i.path[0] ?? '')).filter(Boolean))];
    throw new BadInput(messages(r.error), fields, explanations(r.error));
  }
  return r.data;
}

/** Route parameters (slugs, ids) through a schema; a bad one is a 404 page, as an unknown one would be. */
export function parseParam<S extends z.ZodType>(value: string | undefined, schema: S): z.infer<S> | undefined {
  const r = schema.safeParse(value);
  return r.success ? r.data : undefined;
}

export type FormResult<T> =
  | { readonly ok: true; readonly data: T; readonly raw: Record<string, string> }
  | { readonly ok: false; readonly errors: Record<string, string>; readonly raw: Record<string, string> };

/** A posted form through a schema; errors by field name, for inline messages next to each input. */
export async function parseForm<S extends z.ZodType>(c: Context<WebEnv>, schema: S): Promise<FormResult<z.infer<S>>> {
  const raw = await formFields(c);
  const r = schema.safeParse(raw);
  if (r.success) return { ok: true, data: r.data, raw };
  const errors: Record<string, string> = {};
  for (const issue of r.error.issues) {
    const key = issue.path.join('.') || '_';
    if (!errors[key]) errors[key] = issue.message;
  }
  return { ok: false, errors, raw };
}
