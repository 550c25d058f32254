import type { Child } from 'hono/jsx';
import { CSRF_FIELD } from './session.ts';

/** Minor units → "$1,234.50" in the shop's locale. */
export function formatMoney(m: { amount: number; currency: string } | null | undefined): string {
  if (!m) return '';
  const digits = ['JPY', 'KRW', 'VND', 'CLP', 'ISK'].includes(m.currency) ? 0 : 2;
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: m.currency }).format(m.amount / 10 ** digits);
}

export function Money(props: { value: { amount: number; currency: string } | null | undefined }) {
  return <span class="money">{formatMoney(props.value)}</span>;
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(d);
}

/** The hidden CSRF field; every form that changes something carries it. */
export function Csrf(props: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={props.token} />;
}

/** A POST form with its CSRF field. */
export function PostForm(props: {
  action: string;
  csrf: string;
  children?: Child;
  class?: string;
  id?: string;
  'aria-label'?: string;
  'data-confirm'?: string;
}) {
  const { action, csrf, children, ...rest } = props;
  return (
    <form method="post" action={action} {...rest}>
      <Csrf token={csrf} />
      {children}
    </form>
  );
}

export type Tone = 'info' | 'success' | 'error' | 'warning';

/** A message box; errors are announced to screen readers at once (role=alert). */
export function Notice(props: { tone?: Tone; children?: Child; title?: string }) {
  const tone = props.tone ?? 'info';
  return (
    <div class={`notice notice-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {props.title ? <strong>{props.title}</strong> : null}
      {props.title ? ' ' : null}
      {props.children}
    </div>
  );
}

/** The attributes that tie a field's control to its label, hint and error. */
export interface FieldWiring {
  id: string;
  name: string;
  required: boolean | undefined;
  form: string | undefined;
  'aria-invalid': 'true' | undefined;
  'aria-describedby': string | undefined;
}

/** A labelled input with its error text wired up for assistive technology. */
export function Field(props: {
  label: string;
  name: string;
  type?: string;
  value?: string | number | undefined;
  required?: boolean;
  autocomplete?: string;
  error?: string | undefined;
  hint?: string;
  inputmode?: 'search' | 'url' | 'email' | 'text' | 'none' | 'tel' | 'decimal' | 'numeric';
  min?: string | number;
  max?: string | number;
  step?: string | number;
  pattern?: string;
  maxlength?: number;
  placeholder?: string;
  id?: string;
  /** The id of the form the control belongs to when it sits outside it. */
  form?: string;
  /** Renders another control (a select, a textarea) in place of the input, given the field's wiring. */
  control?: (wiring: FieldWiring) => Child;
}) {
  const id = props.id ?? `f-${props.name}`;
  const describedBy = [props.hint ? `${id}-hint` : '', props.error ? `${id}-err` : ''].filter(Boolean).join(' ');
  const wiring: FieldWiring = {
    id,
    name: props.name,
    required: props.required,
    form: props.form,
    'aria-invalid': props.error ? 'true' : undefined,
    'aria-describedby': describedBy || undefined,
  };
  return (
    <div class={`field${props.error ? ' field-invalid' : ''}`}>
      <label for={id}>{props.label}</label>
      {props.hint ? (
        <span class="hint" id={`${id}-hint`}>
          {props.hint}
        </span>
      ) : null}
      {props.control ? (
        props.control(wiring)
      ) : (
        <input
          id={id}
          name={props.name}
          type={props.type ?? 'text'}
          value={props.value === undefined ? undefined : String(props.value)}
          required={props.required}
          form={props.form}
          autocomplete={props.autocomplete}
          inputmode={props.inputmode}
          min={props.min}
          max={props.max}
          step={props.step}
          pattern={props.pattern}
          maxlength={props.maxlength}
          placeholder={props.placeholder}
          aria-invalid={props.error ? 'true' : undefined}
          aria-describedby={describedBy || undefined}
        />
      )}
      {props.error ? (
        <span class="field-error" id={`${id}-err`}>
          {props.error}
        </span>
      ) : null}
    </div>
  );
}

/** Previous/next links for keyset-paginated lists (`cursor` query parameter). */
export function Pager(props: { next?: string | null | undefined; base: string; label?: string }) {
  if (!props.next) return null;
  const url = new URL(props.base, 'http://x');
  url.searchParams.set('cursor', props.next);
  return (
    <nav class="pager" aria-label={props.label ?? 'Pages'}>
      <a href={`${url.pathname}${url.search}`} rel="next">
        More results →
      </a>
    </nav>
  );
}

/** "4.5 ★ (12)" with an accessible text. */
export function Stars(props: { average: number | null | undefined; count: number }) {
  if (!props.count || props.average === null || props.average === undefined) {
    return <span class="stars stars-none">No reviews yet</span>;
  }
  const avg = Math.round(props.average * 10) / 10;
  return (
    <span class="stars" role="img" aria-label={`Rated ${avg} out of 5 from ${props.count} reviews`}>
      <span aria-hidden="true">
        {'★'.repeat(Math.round(avg))}
        {'☆'.repeat(5 - Math.round(avg))}
      </span>{' '}
      <span aria-hidden="true" class="muted">
        ({props.count})
      </span>
    </span>
  );
}
