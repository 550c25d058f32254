import type { Context } from 'hono';
import { z } from 'zod';
import type { WebEnv } from '../env.ts';
import { notFoundPage } from '../errors.tsx';
import { Field, PostForm } from '../ui.tsx';
import { type FormResult, parseForm, parseQuery } from '../validate.ts';
import {
  CheckField,
  type Errors,
  Flash,
  FormNotice,
  type FormState,
  fieldOf,
  forbidden,
  hasRole,
  humanize,
  type Option,
  refusal,
  SelectField,
} from './ops-common.tsx';
import {
  DONE,
  LOCATION_RE,
  type Location,
  loadLocations,
  SECTION,
  SubNav,
  withMessages,
} from './ops-inventory-shared.tsx';
import { BackLink, bound, NumTd, NumTh } from './ops-parts.tsx';
import { renderAdmin } from './shell.tsx';

/** Warehouses and stores: everyone in fulfillment sees them; admins open and edit them. */

const KINDS: readonly Option[] = [
  { value: 'warehouse', label: 'Warehouse' },
  { value: 'store', label: 'Store' },
];

function LocationFields(props: { state: FormState | undefined; form: string; location?: Location; prefix: string }) {
  const f = fieldOf(props.state, props.form);
  const l = props.location;
  const a = l?.address ?? {};
  const id = (n: string) => `${props.prefix}-${n}`;
  return (
    <>
      <Field id={id('name')} label="Name" {...bound(f, 'name', l?.name)} maxlength={120} required />
      <SelectField id={id('kind')} label="Kind" {...bound(f, 'kind', l?.kind)} options={KINDS} required />
      <fieldset>
        <legend>Address</legend>
        <Field
          id={id('line1')}
          label="Street and number"
          name="line1"
          value={f.value('line1', a.line1)}
          error={f.error('address.line1') ?? f.error('line1')}
          maxlength={200}
          required
        />
        <Field
          id={id('line2')}
          label="Address line 2 (optional)"
          name="line2"
          value={f.value('line2', a.line2)}
          error={f.error('address.line2')}
          maxlength={200}
        />
        <Field
          id={id('city')}
          label="City"
          name="city"
          value={f.value('city', a.city)}
          error={f.error('address.city') ?? f.error('city')}
          maxlength={100}
          required
        />
        <Field
          id={id('region')}
          label="Region (optional)"
          name="region"
          value={f.value('region', a.region)}
          error={f.error('address.region')}
          maxlength={100}
        />
        <Field
          id={id('postalCode')}
          label="Postal code"
          name="postalCode"
          value={f.value('postalCode', a.postalCode)}
          error={f.error('address.postalCode') ?? f.error('postalCode')}
          maxlength={20}
          required
        />
        <Field
          id={id('country')}
          label="Country code"
          name="country"
          value={f.value('country', a.country)}
          error={f.error('address.country') ?? f.error('country')}
          maxlength={2}
          hint="Two letters, e.g. US"
          required
        />
      </fieldset>
      <Field
        id={id('priority')}
        label="Priority (optional)"
        {...bound(f, 'priority', l ? String(l.priority) : undefined)}
        type="number"
        min={0}
        max={1000}
        hint="Lower is preferred when stock is allocated; default 10 for warehouses, 100 for stores"
      />
      <CheckField
        id={id('pickup')}
        label="Offers pickup in store (stores only)"
        name="pickupEnabled"
        checked={
          props.state && props.state.form === props.form
            ? props.state.values.pickupEnabled === 'on'
            : (l?.pickupEnabled ?? false)
        }
      />
      {f.error('pickupEnabled') ? <p class="field-error">{f.error('pickupEnabled')}</p> : null}
    </>
  );
}

export async function locationsPage(c: Context<WebEnv>, state?: FormState) {
  const q = parseQuery(c, z.object({ done: z.string().max(40).optional() }));
  const locations = await loadLocations(c);
  const admin = hasRole(c, 'admin');
  const f = fieldOf(state, 'create');
  return renderAdmin(c, {
    title: 'Locations',
    section: SECTION,
    status: state ? 422 : 200,
    children: (
      <>
        <h1>Locations</h1>
        <SubNav current="locations" />
        <Flash done={state ? undefined : q.done} messages={DONE} />
        <table class="responsive">
          <caption class="visually-hidden">Warehouses and stores, preferred first</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Code</th>
              <th scope="col">Kind</th>
              <th scope="col">Pickup</th>
              <NumTh>Priority</NumTh>
              <th scope="col">Address</th>
              {admin ? <th scope="col">Edit</th> : null}
            </tr>
          </thead>
          <tbody>
            {locations.map((l) => (
              <tr>
                <td data-label="Name">{l.name}</td>
                <td data-label="Code">{l.code}</td>
                <td data-label="Kind">{humanize(l.kind)}</td>
                <td data-label="Pickup">{l.pickupEnabled ? 'Yes' : 'No'}</td>
                <NumTd label="Priority">{l.priority}</NumTd>
                <td data-label="Address">
                  {[l.address.line1, l.address.city, l.address.postalCode, l.address.country]
                    .filter(Boolean)
                    .join(', ')}
                </td>
                {admin ? (
                  <td data-label="Edit">
                    <a href={`/admin/inventory/locations/${l.code}`}>
                      Edit<span class="visually-hidden"> {l.name}</span>
                    </a>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
        {admin ? (
          <section aria-labelledby="new-location-h" class="ops-panel">
            <h2 id="new-location-h">Open a location</h2>
            <FormNotice state={state} form="create" />
            <PostForm action="/admin/inventory/locations" csrf={c.get('csrf')}>
              <Field
                id="new-code"
                label="Code"
                {...bound(f, 'code')}
                maxlength={32}
                hint="Lower-case letters, digits and hyphens, e.g. store-soho; it cannot change later"
                required
              />
              <LocationFields state={state} form="create" prefix="new" />
              <button type="submit">Open location</button>
            </PostForm>
          </section>
        ) : (
          <p class="muted">Only administrators open or change locations.</p>
        )}
      </>
    ),
  });
}

const trimmed = (max: number, msg: string) => z.string().trim().min(1, msg).max(max, `At most ${max} characters.`);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `At most ${max} characters.`)
    .optional()
    .transform((s) => (s ? s : undefined));
const LocationForm = z.object({
  name: trimmed(120, 'Enter a name.'),
  kind: z.enum(['warehouse', 'store'], { error: 'Choose a kind.' }),
  line1: trimmed(200, 'Enter the street and number.'),
  line2: optionalText(200),
  city: trimmed(100, 'Enter the city.'),
  region: optionalText(100),
  postalCode: trimmed(20, 'Enter the postal code.'),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, 'Two letters, e.g. US.'),
  priority: z
    .string()
    .trim()
    .regex(/^(\d{1,4})?$/, 'A whole number from 0 to 1000.')
    .optional()
    .transform((s) => (s ? Number(s) : undefined))
    .pipe(z.number().int().min(0).max(1000, 'A whole number from 0 to 1000.').optional()),
  pickupEnabled: z.literal('on').optional(),
});
const CreateForm = LocationForm.extend({
  code: z
    .string()
    .trim()
    .max(32, 'At most 32 characters.')
    .regex(LOCATION_RE, 'Lower-case letters, digits and single hyphens.'),
});

function locationBody(d: z.infer<typeof LocationForm>) {
  return {
    name: d.name,
    kind: d.kind,
    address: {
      line1: d.line1,
      ...(d.line2 ? { line2: d.line2 } : {}),
      city: d.city,
      ...(d.region ? { region: d.region } : {}),
      postalCode: d.postalCode,
      country: d.country,
    },
    pickupEnabled: d.pickupEnabled === 'on',
    ...(d.priority !== undefined ? { priority: d.priority } : {}),
  };
}

/** The form's data, or its errors: zod's first, then (once those are fixed) the rule that only stores offer pickup. */
function checked<T extends z.infer<typeof LocationForm>>(f: FormResult<T>): { data: T } | { errors: Errors } {
  if (!f.ok) return { errors: withMessages(f.errors) };
  if (f.data.pickupEnabled === 'on' && f.data.kind !== 'store')
    return { errors: { pickupEnabled: 'Only stores offer pickup.' } };
  return { data: f.data };
}

export async function postLocation(c: Context<WebEnv>) {
  if (!hasRole(c, 'admin')) return forbidden(c, 'Opening a location', 'admin');
  const f = await parseForm(c, CreateForm);
  const form = checked(f);
  if (!('data' in form)) return locationsPage(c, { form: 'create', values: f.raw, errors: form.errors });
  const r = await c.get('api').call(c, 'POST', '/api/inventory/locations', {
    json: { code: form.data.code, ...locationBody(form.data) },
  });
  if (!r.ok) {
    return locationsPage(
      c,
      refusal('create', f.raw, r, { conflict: `A location with the code ${form.data.code} already exists.` }),
    );
  }
  return c.redirect('/admin/inventory/locations?done=location-created', 303);
}

export async function locationPage(c: Context<WebEnv>, code: string, state?: FormState) {
  const locations = await loadLocations(c);
  const location = locations.find((l) => l.code === code);
  if (!location) return notFoundPage(c, 'location');
  return renderAdmin(c, {
    title: `Location ${location.name}`,
    section: SECTION,
    status: state ? 422 : 200,
    children: (
      <>
        <BackLink href="/admin/inventory/locations">Locations</BackLink>
        <h1>Edit {location.name}</h1>
        <p class="muted">Code: {location.code}</p>
        <FormNotice state={state} form="edit" />
        <PostForm action={`/admin/inventory/locations/${location.code}`} csrf={c.get('csrf')} class="form-narrow">
          <LocationFields state={state} form="edit" location={location} prefix="edit" />
          <button type="submit">Save location</button>
        </PostForm>
      </>
    ),
  });
}

export async function postLocationEdit(c: Context<WebEnv>, code: string) {
  if (!hasRole(c, 'admin')) return forbidden(c, 'Changing a location', 'admin');
  const f = await parseForm(c, LocationForm);
  const form = checked(f);
  if (!('data' in form)) return locationPage(c, code, { form: 'edit', values: f.raw, errors: form.errors });
  const r = await c.get('api').call(c, 'PATCH', `/api/inventory/locations/${code}`, { json: locationBody(form.data) });
  if (!r.ok) {
    if (r.status === 404) return notFoundPage(c, 'location');
    return locationPage(c, code, refusal('edit', f.raw, r));
  }
  return c.redirect('/admin/inventory/locations?done=location-saved', 303);
}
