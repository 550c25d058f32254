import type { Context, Hono } from 'hono';
import type { Child } from 'hono/jsx';
import type { z } from 'zod';
import type { ApiResult } from '../api.ts';
import type { WebEnv } from '../env.ts';
import { notFoundPage } from '../errors.tsx';
import { Field } from '../ui.tsx';
import { parseParam } from '../validate.ts';
import {
  dayToIso,
  type Errors,
  type FormState,
  type fieldOf,
  forbidden,
  hasRole,
  KEY_RE,
  newKey,
  type Values,
} from './ops-common.tsx';

/** Pieces the operations sections (inventory, orders, returns, customers, audit) share: routing, one-time keys, form fields, table cells. */

type Handler = (c: Context<WebEnv>) => Response | Promise<Response>;

/** Lets only staff with `role` (or admins) into `path` and everything below it; others get a clear 403 page. */
export function guardSection(app: Hono<WebEnv>, path: string, role: string, what: string): void {
  const guard = async (c: Context<WebEnv>, next: () => Promise<void>) => {
    if (!hasRole(c, role)) return forbidden(c, what, role);
    await next();
  };
  app.use(path, guard);
  app.use(`${path}/*`, guard);
}

/**
 * Wraps a handler that needs the route parameter `name` valid under `schema`; any other value is the
 * 404 page for `what` (no API call).
 */
export function withParam<S extends z.ZodType<string>>(name: string, schema: S, what: string) {
  return (fn: (c: Context<WebEnv>, value: z.infer<S>) => Promise<Response>): Handler =>
    (c) => {
      const value = parseParam(c.req.param(name), schema);
      return value ? fn(c, value) : notFoundPage(c, what);
    };
}

/** The form's values with its one-time key kept when it is well-formed, or a fresh one. */
export function withKey(raw: Values, field: string): Values {
  const key = raw[field];
  return { ...raw, [field]: key && KEY_RE.test(key) ? key : newKey() };
}

/**
 * After an API refusal: a definite one (4xx) frees the form's one-time key, so the corrected form is a
 * new change; no answer (5xx, timeout) keeps it, so a retry is applied once.
 */
export function renewKeyIfRefused(state: FormState, r: ApiResult<unknown>, field: string): FormState {
  if (r.status < 500) state.values[field] = newKey();
  return state;
}

/** A form state with the API's field names mapped to the form's. */
export function remapErrors(state: FormState, names: Record<string, string>): FormState {
  const errors: Errors = {};
  for (const [k, v] of Object.entries(state.errors)) errors[names[k] ?? k] = v;
  return { ...state, errors };
}

/** The end of an id: time-ordered ids (UUIDv7) share their first characters, not their last. */
export const idTail = (id: string): string => id.replace(/-/g, '').slice(-8);

/** A column header for a number (right-aligned). */
export function NumTh(props: { children?: Child }) {
  return (
    <th scope="col" class="num">
      {props.children}
    </th>
  );
}

/** A number cell of a responsive table (`label` is its column's name on narrow screens). */
export function NumTd(props: { label: string; children?: Child }) {
  return (
    <td data-label={props.label} class="num">
      {props.children}
    </td>
  );
}

/** A filter's `from`/`to` days as the instants they start and end (UTC); a bad day is noted in `errors`. */
export function dayRange(q: { from?: string | undefined; to?: string | undefined }, errors: Errors) {
  const from = q.from ? dayToIso(q.from) : undefined;
  const to = q.to ? dayToIso(q.to, true) : undefined;
  if (q.from && !from) errors.from = 'Enter a date.';
  if (q.to && !to) errors.to = 'Enter a date.';
  if (from && to && from >= to) errors.to = 'The end date must not be before the start date.';
  return { from, to };
}

/** A from/until pair of date inputs (`from`, `to`) for a filter by UTC day. */
export function DayRangeFields(props: {
  labels: readonly [string, string];
  from: string | undefined;
  to: string | undefined;
  errors: Errors;
}) {
  return (
    <>
      <Field label={props.labels[0]} name="from" type="date" value={props.from} error={props.errors.from} />
      <Field label={props.labels[1]} name="to" type="date" value={props.to} error={props.errors.to} />
    </>
  );
}

type FormFields = ReturnType<typeof fieldOf>;

/** A control's name with its value and error from the form that came back: spread into Field, SelectField or TextArea. */
export const bound = (f: FormFields, name: string, fallback?: string) => ({
  name,
  value: f.value(name, fallback),
  error: f.error(name),
});

/** The hidden one-time key of a form that must act once (kept from the form that came back, or fresh). */
export function KeyField(props: { form: FormFields; name: string }) {
  return <input type="hidden" name={props.name} value={props.form.value(props.name) ?? newKey()} />;
}

/** The way back to a detail page's list, above its heading. */
export function BackLink(props: { href: string; children: Child }) {
  return (
    <p class="breadcrumbs">
      <a href={props.href}>← {props.children}</a>
    </p>
  );
}
