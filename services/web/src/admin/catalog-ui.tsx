import type { Child } from 'hono/jsx';
import { Notice } from '../ui.tsx';
import { doneText } from './catalog-lib.ts';
import { TextArea as OpsTextArea, SelectField } from './ops-common.tsx';

/** A labelled select (the shared `SelectField`; no value selects the option whose value is empty). */
export function Select(props: Parameters<typeof SelectField>[0]) {
  return <SelectField {...props} value={props.value ?? ''} />;
}

/** A labelled multi-line text box (the shared `TextArea`, four rows unless told). */
export function TextArea(props: Parameters<typeof OpsTextArea>[0]) {
  return <OpsTextArea {...props} rows={props.rows ?? 4} />;
}

/** A checkbox with its label after it. */
export function Check(props: { label: string; name: string; checked?: boolean; value?: string; id?: string }) {
  const id = props.id ?? `f-${props.name}`;
  return (
    <div class="field field-check">
      <label for={id}>
        <input id={id} type="checkbox" name={props.name} value={props.value ?? 'on'} checked={props.checked} />{' '}
        {props.label}
      </label>
    </div>
  );
}

/** An input inside a table cell, labelled for screen readers only (the column header says it to sighted users). */
export function CellInput(props: {
  label: string;
  name: string;
  value?: string;
  form: string;
  id: string;
  error?: string | undefined;
  inputmode?: 'decimal' | 'text';
  size?: number;
  maxlength?: number;
}) {
  return (
    <span class={props.error ? 'field-invalid' : undefined}>
      <label for={props.id} class="visually-hidden">
        {props.label}
      </label>
      <input
        id={props.id}
        name={props.name}
        form={props.form}
        value={props.value}
        inputmode={props.inputmode}
        size={props.size}
        maxlength={props.maxlength}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={props.error ? `${props.id}-err` : undefined}
      />
      {props.error ? (
        <span class="field-error" id={`${props.id}-err`}>
          {props.error}
        </span>
      ) : null}
    </span>
  );
}

/** The status of a product or promotion as a coloured pill with its word (colour is never the only cue). */
export function StatusPill(props: { status: string; label?: string }) {
  return <span class={`status status-${props.status}`}>{props.label ?? props.status}</span>;
}

/** The "done" flash after a redirect, and a form's error summary. */
export function Flash(props: { done?: string | undefined; error?: string | undefined }) {
  const done = doneText(props.done);
  return (
    <>
      {done ? <Notice tone="success">{done}</Notice> : null}
      {props.error ? <Notice tone="error">{props.error}</Notice> : null}
    </>
  );
}

/** A form section with its own heading. */
export function Section(props: { title: string; id?: string; children?: Child; class?: string }) {
  const id = props.id ?? `s-${props.title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return (
    <section aria-labelledby={id} class={props.class ?? 'admin-section'}>
      <h2 id={id}>{props.title}</h2>
      {props.children}
    </section>
  );
}

/** The way back to the section's list, above a page's heading. */
export function Breadcrumb(props: { href: string; label: string }) {
  return (
    <p class="breadcrumbs-admin">
      <a href={props.href}>{props.label}</a>
    </p>
  );
}

/** The header of a table's last column, which holds buttons: named for screen readers only. */
export function ActionsHeader() {
  return (
    <th scope="col">
      <span class="visually-hidden">Actions</span>
    </th>
  );
}
