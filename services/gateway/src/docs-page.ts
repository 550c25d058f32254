import { escapeHtml, Html, html } from './html.ts';
import { pageStyle } from './landing.ts';
import { isObject, type JsonObject, type MergedDoc } from './openapi-merge.ts';

/**
 * A server-rendered API reference: no script, nothing from a CDN, so it works offline and under
 * the gateway's CSP. Operations are grouped by service; schemas are shown as JSON with `$ref`s
 * turned into links to the components listed per service at the end.
 */
const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'];

const anchor = (ref: string) => `c-${ref.replace(/[^\w.-]/g, '_')}`;

/** Pretty JSON, escaped, with component references as links. */
function schemaBlock(schema: unknown): Html {
  const text = escapeHtml(JSON.stringify(schema, null, 2) ?? '');
  const linked = text.replace(
    /&quot;#\/components\/([\w-]+)\/([\w.-]+)&quot;/g,
    (_, type: string, name: string) => `<a href="#${anchor(`${type}/${name}`)}">${name}</a>`,
  );
  return new Html(`<pre>${linked}</pre>`);
}

function typeOf(schema: unknown): string {
  if (!isObject(schema)) return '';
  if (typeof schema.$ref === 'string') return schema.$ref.split('/').pop() ?? '';
  const t = Array.isArray(schema.type) ? schema.type.join(' | ') : String(schema.type ?? '');
  const format = typeof schema.format === 'string' ? ` (${schema.format})` : '';
  const en = Array.isArray(schema.enum) ? ` ∈ ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}` : '';
  return `${t}${format}${en}`;
}

function parameters(op: JsonObject): Html {
  const list = Array.isArray(op.parameters) ? op.parameters.filter(isObject) : [];
  if (!list.length) return html``;
  return html`<table><tr><th>parameter</th><th>in</th><th>type</th><th></th></tr>${list.map(
    (p) =>
      html`<tr><td><code>${String(p.name ?? '')}</code></td><td>${String(p.in ?? '')}</td><td>${typeOf(
        p.schema,
      )}</td><td>${p.required ? 'required' : ''} ${typeof p.description === 'string' ? p.description : ''}</td></tr>`,
  )}</table>`;
}

function content(c: unknown): Html {
  if (!isObject(c)) return html``;
  return html`${Object.entries(c).map(
    ([type, media]) =>
      html`<details><summary><code>${type}</code></summary>${schemaBlock(isObject(media) ? media.schema : undefined)}</details>`,
  )}`;
}

function operation(path: string, method: string, op: JsonObject): Html {
  const body = isObject(op.requestBody) ? op.requestBody : undefined;
  const responses = isObject(op.responses) ? op.responses : {};
  return html`<div class="op">
<div><span class="m ${method}">${method}</span> <code>${path}</code> ${typeof op.summary === 'string' ? op.summary : ''}</div>
${typeof op.description === 'string' ? html`<p class="muted">${op.description}</p>` : ''}
${parameters(op)}
${body ? html`<p><b>Request body</b>${body.required ? ' (required)' : ''}</p>${content(body.content)}` : ''}
<p><b>Responses</b></p>
<table>${Object.entries(responses).map(
    ([status, r]) =>
      html`<tr><td><code>${status}</code></td><td>${isObject(r) ? String(r.description ?? '') : ''}${
        isObject(r) ? content(r.content) : ''
      }</td></tr>`,
  )}</table>
</div>`;
}

export function docsPage(doc: MergedDoc, nonce: string): string {
  const services = (Array.isArray(doc.tags) ? doc.tags.filter(isObject) : []).map((t) => String(t.name));
  const unavailable = Array.isArray(doc['x-unavailable']) ? doc['x-unavailable'].map(String) : [];
  const section = (service: string) => {
    const ops = Object.entries(doc.paths).flatMap(([path, item]) =>
      METHODS.flatMap((m) => {
        const op = item[m];
        return isObject(op) && op['x-service'] === service ? [operation(path, m, op)] : [];
      }),
    );
    const components = Object.entries(doc.components).flatMap(([type, entries]) =>
      Object.entries(entries)
        .filter(([name]) => name.startsWith(`${service}.`))
        .map(
          ([name, schema]) =>
            html`<details id="${anchor(`${type}/${name}`)}"><summary><code>${name}</code> <span class="muted">${type}</span></summary>${schemaBlock(
              schema,
            )}</details>`,
        ),
    );
    return html`<h2 id="s-${service}">${service}</h2>${ops}${components.length ? html`<h3>Components</h3>${components}` : ''}`;
  };
  return html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Storefront API reference</title>${pageStyle(nonce)}</head>
<body>
<h1>Storefront API reference</h1>
<p>Every service behind the gateway, under <code>/api/&lt;service&gt;</code>. Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a>.</p>
<p>${services.map((s) => html`<a href="#s-${s}">${s}</a> `)}</p>
${unavailable.length ? html`<p class="muted">Not answering now, so not listed: ${unavailable.join(', ')}.</p>` : ''}
${services.length ? services.map(section) : html`<p>No service answered with its API description.</p>`}
</body>
</html>`.value;
}
