import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { ApiProblem, ApiResult } from '../api.ts';
import type { WebEnv } from '../env.ts';
import { errorPage, fieldErrors, friendlyMessage } from '../errors.tsx';
import { Field, formatMoney, Notice } from '../ui.tsx';

/** Helpers shared by the operations pages of the admin console (inventory, orders, returns, customers, audit). */

export type Values = Record<string, string>;
export type Errors = Record<string, string>;

/** A form that came back: which one, what was typed, what is wrong with it. */
export interface FormState {
  readonly form: string;
  readonly values: Values;
  readonly errors: Errors;
  /** A sentence for the summary above the form (an API refusal, or "check the fields"). */
  readonly message?: string | undefined;
}

export const hasRole = (c: Context<WebEnv>, ...roles: string[]): boolean => {
  const mine = c.get('viewer')?.roles ?? [];
  return mine.includes('admin') || roles.some((r) => (mine as readonly string[]).includes(r));
};

/** A page for roles the viewer lacks: a clear 403 page instead of an API refusal further down. */
export function forbidden(c: Context<WebEnv>, what: string, roles: string): Promise<Response> {
  return errorPage(c, {
    status: 403,
    title: 'Not allowed',
    message: `${what} is for ${roles} staff. Ask an administrator if you need access.`,
  });
}

export const humanize = (s: string): string => {
  const t = s.replace(/[_.-]+/g, ' ').trim();
  return t.charAt(0).toUpperCase() + t.slice(1);
};

export function StatusBadge(props: { status: string }) {
  return <span class={`status status-${props.status.replace(/[^a-z_-]/g, '')}`}>{humanize(props.status)}</span>;
}

export interface Option {
  readonly value: string;
  readonly label: string;
}

/** A labelled select, wired like `Field` (error and hint described for assistive technology). */
export function SelectField(props: {
  label: string;
  name: string;
  options: readonly Option[];
  value?: string | undefined;
  error?: string | undefined;
  hint?: string;
  id?: string;
  required?: boolean;
  /** The id of the form the select belongs to when it sits outside it. */
  form?: string;
  /** An empty first choice (filters: "Any"). */
  empty?: string;
}) {
  const { options, value, empty, ...field } = props;
  return (
    <Field
      {...field}
      control={(wiring) => (
        <select {...wiring}>
          {empty !== undefined ? <option value="">{empty}</option> : null}
          {options.map((o) => (
            <option value={o.value} selected={o.value === value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    />
  );
}

/** A labelled multi-line text box, wired like `Field`. */
export function TextArea(props: {
  label: string;
  name: string;
  value?: string | undefined;
  error?: string | undefined;
  hint?: string;
  id?: string;
  required?: boolean;
  maxlength?: number;
  rows?: number;
}) {
  const { value, rows, maxlength, ...field } = props;
  return (
    <Field
      {...field}
      control={(wiring) => (
        <textarea {...wiring} rows={rows ?? 3} maxlength={maxlength}>
          {value ?? ''}
        </textarea>
      )}
    />
  );
}

/** A labelled checkbox. */
export function CheckField(props: { label: string; name: string; value?: string; checked?: boolean; id?: string }) {
  const id = props.id ?? `f-${props.name}`;
  return (
    <div class="field ops-check">
      <input type="checkbox" id={id} name={props.name} value={props.value ?? 'on'} checked={props.checked} />
      <label for={id}>{props.label}</label>
    </div>
  );
}

/** The error summary above a form that came back. */
export function FormNotice(props: { state: FormState | undefined; form: string }) {
  const s = props.state;
  if (!s || s.form !== props.form) return null;
  const message = s.message ?? (Object.keys(s.errors).length ? 'Please correct the fields marked below.' : undefined);
  return message ? <Notice tone="error">{message}</Notice> : null;
}

/** The state's value and error for a field of this form, or nothing when another form came back. */
export function fieldOf(state: FormState | undefined, form: string) {
  const mine = state && state.form === form ? state : undefined;
  return {
    value: (name: string, fallback?: string) => mine?.values[name] ?? fallback,
    error: (name: string) => mine?.errors[name],
  };
}

/** Minor units per currency (zero-decimal currencies as the shop's formatter has them). */
export const currencyDigits = (currency: string): number =>
  ['JPY', 'KRW', 'VND', 'CLP', 'ISK'].includes(currency) ? 0 : 2;

/** "12.50" in USD → 1250; undefined when it is not an amount of that currency. */
export function parseAmount(text: string, currency: string): number | undefined {
  const digits = currencyDigits(currency);
  const t = text.trim().replace(/,/g, '');
  const re = digits === 0 ? /^\d{1,12}$/ : /^\d{1,10}(?:\.\d{1,2})?$/;
  if (!re.test(t)) return undefined;
  const [whole = '0', frac = ''] = t.split('.');
  return Number(whole) * 10 ** digits + Number(frac.padEnd(digits, '0') || '0');
}

/** 1250 in USD → "12.50" (for a form's value). */
export function amountText(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  return digits === 0 ? String(minor) : (minor / 10 ** digits).toFixed(digits);
}

export const money = (amount: number, currency: string) => formatMoney({ amount, currency });

/** A calendar day from a date input ("2025-01-31") → the ISO instant its UTC day starts (or the next day starts). */
export function dayToIso(day: string, endOfDay = false): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const t = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== day) return undefined;
  return new Date(t + (endOfDay ? 86_400_000 : 0)).toISOString();
}

/** A fresh key for a form that must act once however often it is submitted (refunds, adjustments). */
export const newKey = (): string => randomUUID();
export const KEY_RE = /^[A-Za-z0-9][A-Za-z0-9_.:-]{7,99}$/;

/** Staff-facing messages by problem code, on top of the shop's (errors.tsx). */
const OPS_MESSAGES: Record<string, string> = {
  unknown_location: 'That location does not exist.',
  idempotency_mismatch: 'This form was already used for a different change. Reload the page and try again.',
  idempotency_key_reused: 'This form was already used with other values. Reload the page to start again.',
  forbidden: 'Your role does not allow this action.',
  mfa_required: 'This action needs a sign-in with two-factor authentication.',
};

/** The sentence for an API refusal on a staff page; pages add their own specifics. */
export function opsMessage(p: ApiProblem, overrides: Record<string, string> = {}): string {
  const code = typeof p.code === 'string' ? p.code : '';
  if (code && overrides[code]) return overrides[code] as string;
  if (code && OPS_MESSAGES[code]) return OPS_MESSAGES[code] as string;
  if (p.status === 403) return OPS_MESSAGES.forbidden as string;
  return friendlyMessage(p);
}

/** An API refusal as a form state: field errors where the API names a field, the summary otherwise. */
export function refusal(
  form: string,
  values: Values,
  r: ApiResult<unknown>,
  overrides: Record<string, string> = {},
): FormState {
  const p = r.problem ?? { status: r.status };
  return { form, values, errors: fieldErrors(p), message: opsMessage(p, overrides) };
}

/** Flash messages after a redirect: a fixed text per key, never echoed input. */
export function Flash(props: { done: string | undefined; messages: Record<string, string> }) {
  const text = props.done ? props.messages[props.done] : undefined;
  return text ? <Notice tone="success">{text}</Notice> : null;
}

/** A `<dl>` of label/value pairs (summaries, profiles). */
export function Facts(props: { items: readonly (readonly [string, Child])[]; class?: string }) {
  return (
    <dl class={props.class ?? 'facts'}>
      {props.items.map(([k, v]) => (
        <>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </>
      ))}
    </dl>
  );
}

/** The current URL's path and query with `cursor` set (or dropped), for pagers that keep the filters. */
export function withQuery(c: Context<WebEnv>, set: Record<string, string | undefined>): string {
  const url = new URL(c.req.url);
  for (const [k, v] of Object.entries(set)) {
    if (v === undefined) url.searchParams.delete(k);
    else url.searchParams.set(k, v);
  }
  url.searchParams.delete('done');
  return `${url.pathname}${url.search}`;
}

/** Keeps a relative admin path only (a "back to" link from a query string never leaves the console). */
export const safeBack = (s: string | undefined, fallback: string): string =>
  s && /^\/admin\/[\w/?=&%.-]*$/.test(s) && !s.startsWith('//') ? s : fallback;
