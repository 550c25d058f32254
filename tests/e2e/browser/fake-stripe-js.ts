import type { Page, Route } from 'playwright-core';

/**
 * A fake Stripe.js for browser tests, served at https://js.stripe.com/v3 through `page.route`
 * (Chromium cannot reach Stripe here). It mirrors the part of Stripe.js v3 that
 * services/web/public/shop.js uses, with Stripe's names, option shapes and results:
 *
 * - `Stripe(publishableKey)`;
 * - `stripe.elements({ mode: 'payment', amount, currency, captureMethod, paymentMethodCreation })`
 *   (the deferred-intent Payment Element: amount and currency required, `paymentMethodCreation:
 *   'manual'` required before `createPaymentMethod` may use the elements);
 * - `elements.create('payment').mount(domElement | selector)`: an `<iframe>` from js.stripe.com
 *   ("Secure payment input frame") holding the card inputs, so the card lives in Stripe's origin
 *   and never in the shop's document or form;
 * - `elements.submit()` → `{}` or `{ error }` (`type: 'validation_error'`, Stripe's codes and
 *   messages), the frame showing the message beside the field as the Payment Element does;
 * - `stripe.createPaymentMethod({ elements, params: { billing_details } })` → `{ paymentMethod }`
 *   or `{ error }`: the frame posts the card to `https://api.stripe.com/v1/payment_methods` as
 *   Stripe.js does (form-encoded, `type=card`, `card[…]`, `billing_details[…]`, `key=pk_…`),
 *   which `routeStripe` forwards to the local fake of Stripe's API; its error object comes back as
 *   is. Misuse throws `IntegrationError`, as Stripe.js does.
 *
 * The parent and the frame talk by postMessage, each checking the other's origin.
 */
export const STRIPE_JS = `(() => {
  'use strict';
  const FRAME_ORIGIN = 'https://js.stripe.com';
  class IntegrationError extends Error { constructor(m) { super(m); this.name = 'IntegrationError'; } }
  let seq = 0;
  const pending = new Map();
  window.addEventListener('message', (e) => {
    if (e.origin !== FRAME_ORIGIN || !e.data || e.data.__fakeStripe !== true) return;
    const d = e.data;
    if (d.kind === 'resize') {
      for (const f of document.querySelectorAll('iframe[name="' + d.frame + '"]')) f.style.height = d.height + 'px';
      return;
    }
    const p = pending.get(d.id);
    if (p) { pending.delete(d.id); p(d.result); }
  });
  function ask(frame, kind, payload) {
    return new Promise((resolve) => {
      const id = ++seq;
      pending.set(id, resolve);
      frame.contentWindow.postMessage({ __fakeStripe: true, id, kind, payload }, FRAME_ORIGIN);
    });
  }

  function Stripe(key) {
    if (!(this instanceof Stripe)) return new Stripe(key);
    if (typeof key !== 'string' || !/^pk_(test|live)_/.test(key)) {
      throw new IntegrationError('Invalid value for Stripe(): apiKey should be a publishable key (pk_…).');
    }
    this._key = key;
  }

  Stripe.prototype.elements = function (options) {
    const o = options || {};
    if (o.mode !== undefined) {
      if (!['payment', 'setup', 'subscription'].includes(o.mode)) throw new IntegrationError('Invalid value for elements(): mode');
      if (o.mode !== 'setup' && (!Number.isInteger(o.amount) || o.amount < 0)) {
        throw new IntegrationError('Invalid value for elements(): amount should be a non-negative integer in the smallest currency unit.');
      }
      if (typeof o.currency !== 'string' || !/^[a-z]{3}$/.test(o.currency)) {
        throw new IntegrationError('Invalid value for elements(): currency should be a lowercase three-letter ISO code.');
      }
    }
    if (o.captureMethod !== undefined && !['automatic', 'automatic_async', 'manual'].includes(o.captureMethod)) {
      throw new IntegrationError('Invalid value for elements(): captureMethod');
    }
    return new Elements(this, o);
  };

  function Elements(stripe, options) {
    this._stripe = stripe;
    this._options = options;
    this._payment = null;
    this._submitted = false;
  }
  Elements.prototype.create = function (type) {
    if (type !== 'payment') throw new IntegrationError('This fake Stripe.js only has the Payment Element, not ' + type + '.');
    if (this._payment) throw new IntegrationError('Can only create one Element of type payment.');
    this._payment = new PaymentElement(this);
    return this._payment;
  };
  Elements.prototype.submit = async function () {
    const frame = this._payment && this._payment._frame;
    if (!frame) throw new IntegrationError('elements.submit(): mount the Payment Element first.');
    const result = await this._payment._ready.then(() => ask(frame, 'submit', {}));
    this._submitted = !result.error;
    return result;
  };

  function PaymentElement(elements) {
    this._elements = elements;
    this._frame = null;
    this._ready = null;
  }
  PaymentElement.prototype.mount = function (target) {
    const el = typeof target === 'string' ? document.querySelector(target) : target;
    if (!el || !(el instanceof Element)) throw new IntegrationError('The selector you specified (' + target + ') applies to no DOM elements.');
    if (this._frame) throw new IntegrationError('This Element is already mounted.');
    const name = '__privateStripeFrame' + Math.floor(Math.random() * 1e4);
    const frame = document.createElement('iframe');
    frame.name = name;
    frame.title = 'Secure payment input frame';
    frame.setAttribute('frameborder', '0');
    frame.setAttribute('allowtransparency', 'true');
    frame.setAttribute('scrolling', 'no');
    frame.style.border = '0';
    frame.style.width = '100%';
    frame.style.height = '260px';
    frame.style.display = 'block';
    const hash = new URLSearchParams({ frame: name, origin: location.origin, key: this._elements._stripe._key });
    frame.src = FRAME_ORIGIN + '/v3/elements-inner-payment.html#' + hash.toString();
    this._ready = new Promise((resolve) => frame.addEventListener('load', () => resolve(), { once: true }));
    const wrap = document.createElement('div');
    wrap.className = '__PrivateStripeElement';
    wrap.append(frame);
    el.replaceChildren(wrap);
    el.classList.add('StripeElement');
    this._frame = frame;
    return this;
  };

  Stripe.prototype.createPaymentMethod = async function (args) {
    const a = args || {};
    if (!a.elements) throw new IntegrationError('createPaymentMethod: this fake mirrors only the { elements } form.');
    const els = a.elements;
    if (els._options.paymentMethodCreation !== 'manual') {
      throw new IntegrationError("createPaymentMethod() with elements needs elements({ paymentMethodCreation: 'manual' }).");
    }
    if (!els._submitted) {
      throw new IntegrationError('elements.submit() must be called before stripe.createPaymentMethod().');
    }
    const params = a.params || {};
    return ask(els._payment._frame, 'createPaymentMethod', { key: this._key, billing_details: params.billing_details || {} });
  };

  window.Stripe = Stripe;
})();
`;

/** The Payment Element's frame (js.stripe.com): card inputs, client-side checks, the API call. */
export const PAYMENT_FRAME_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Secure payment input frame</title>
<style>
  body { font: 16px system-ui, sans-serif; margin: 0; padding: 2px; color: #1a1a1a; }
  .f { margin-bottom: 10px; } label { display: block; font-size: 14px; margin-bottom: 4px; }
  input, select { box-sizing: border-box; width: 100%; font: inherit; padding: 8px; border: 1px solid #767676; border-radius: 4px; }
  .row { display: flex; gap: 10px; } .row .f { flex: 1; }
  .err { color: #b00020; font-size: 14px; min-height: 0; margin: 4px 0 0; }
</style></head>
<body>
<div class="f"><label for="number">Card number</label>
  <input id="number" autocomplete="cc-number" inputmode="numeric" placeholder="1234 1234 1234 1234" aria-describedby="number-err">
  <p class="err" id="number-err" role="alert"></p></div>
<div class="row">
  <div class="f"><label for="expiry">Expiration date</label>
    <input id="expiry" autocomplete="cc-exp" inputmode="numeric" placeholder="MM / YY" aria-describedby="expiry-err">
    <p class="err" id="expiry-err" role="alert"></p></div>
  <div class="f"><label for="cvc">Security code</label>
    <input id="cvc" autocomplete="cc-csc" inputmode="numeric" placeholder="CVC" aria-describedby="cvc-err">
    <p class="err" id="cvc-err" role="alert"></p></div>
</div>
<div class="row">
  <div class="f"><label for="country">Country</label>
    <select id="country" autocomplete="country"><option value="US" selected>United States</option><option value="GB">United Kingdom</option><option value="DE">Germany</option><option value="FR">France</option></select></div>
  <div class="f"><label for="postal">ZIP</label>
    <input id="postal" autocomplete="postal-code" aria-describedby="postal-err">
    <p class="err" id="postal-err" role="alert"></p></div>
</div>
<script>
(() => {
  const hash = new URLSearchParams(location.hash.slice(1));
  const parentOrigin = hash.get('origin');
  const frame = hash.get('frame');
  const $ = (id) => document.getElementById(id);
  const post = (msg) => parent.postMessage(Object.assign({ __fakeStripe: true }, msg), parentOrigin);
  const resize = () => post({ kind: 'resize', frame, height: Math.ceil(document.body.getBoundingClientRect().bottom) + 4 });
  const digits = (s) => s.replace(/\\D/g, '');
  const luhn = (n) => {
    let sum = 0;
    for (let i = 0; i < n.length; i++) {
      let d = Number(n[n.length - 1 - i]);
      if (i % 2 === 1) { d *= 2; if (d > 9) d -= 9; }
      sum += d;
    }
    return sum % 10 === 0;
  };
  const expiry = () => {
    const m = /^\\s*(\\d{1,2})\\s*\\/?\\s*(\\d{2})\\s*$/.exec($('expiry').value);
    return m ? { month: Number(m[1]), year: 2000 + Number(m[2]) } : null;
  };
  // Stripe's client-side checks, in its order, with its codes and messages.
  function validate() {
    const n = digits($('number').value);
    const e = expiry();
    const now = new Date();
    const checks = [
      ['number', !n, 'incomplete_number', 'Your card number is incomplete.'],
      ['number', n.length < 13, 'incomplete_number', 'Your card number is incomplete.'],
      ['number', !luhn(n), 'invalid_number', 'Your card number is invalid.'],
      ['expiry', !e, 'incomplete_expiry', "Your card's expiration date is incomplete."],
      ['expiry', e && (e.month < 1 || e.month > 12), 'invalid_expiry_month', "Your card's expiration date is invalid."],
      ['expiry', e && (e.year < now.getUTCFullYear() || (e.year === now.getUTCFullYear() && e.month < now.getUTCMonth() + 1)), 'invalid_expiry_year_past', "Your card's expiration year is in the past."],
      ['cvc', !/^\\d{3,4}$/.test($('cvc').value.trim()), 'incomplete_cvc', "Your card's security code is incomplete."],
      ['postal', $('country').value === 'US' && !/^\\d{5}(-\\d{4})?$/.test($('postal').value.trim()), 'incomplete_zip', 'Your ZIP is incomplete.'],
    ];
    for (const f of ['number', 'expiry', 'cvc', 'postal']) { $(f + '-err').textContent = ''; $(f).removeAttribute('aria-invalid'); }
    const bad = checks.find((c) => c[1]);
    if (!bad) { resize(); return null; }
    $(bad[0] + '-err').textContent = bad[3];
    $(bad[0]).setAttribute('aria-invalid', 'true');
    resize();
    return { type: 'validation_error', code: bad[2], message: bad[3] };
  }
  async function createPaymentMethod(p) {
    const error = validate();
    if (error) return { error };
    const e = expiry();
    const body = new URLSearchParams({
      type: 'card',
      'card[number]': digits($('number').value),
      'card[cvc]': $('cvc').value.trim(),
      'card[exp_month]': String(e.month),
      'card[exp_year]': String(e.year % 100).padStart(2, '0'),
      'billing_details[address][country]': $('country').value,
      'billing_details[address][postal_code]': $('postal').value.trim(),
      key: p.key,
      payment_user_agent: 'stripe.js/fake; stripe-js-v3/fake; payment-element; deferred-intent',
    });
    const b = p.billing_details || {};
    for (const k of ['name', 'email', 'phone']) if (b[k]) body.set('billing_details[' + k + ']', b[k]);
    try {
      const r = await fetch('https://api.stripe.com/v1/payment_methods', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: body.toString(),
      });
      const json = await r.json();
      return r.ok ? { paymentMethod: json } : { error: json.error };
    } catch (err) {
      return { error: { type: 'api_connection_error', message: 'We could not connect to Stripe. Please try again.' } };
    }
  }
  window.addEventListener('message', async (ev) => {
    if (ev.origin !== parentOrigin || !ev.data || ev.data.__fakeStripe !== true) return;
    const d = ev.data;
    let result;
    if (d.kind === 'submit') { const error = validate(); result = error ? { error } : {}; }
    else if (d.kind === 'createPaymentMethod') result = await createPaymentMethod(d.payload);
    else result = { error: { type: 'invalid_request_error', message: 'unknown request' } };
    post({ id: d.id, result });
  });
  resize();
})();
</script>
</body></html>`;

async function forward(route: Route, to: string): Promise<void> {
  const u = new URL(route.request().url());
  const response = await route.fetch({ url: `${to}${u.pathname}${u.search}`, maxRedirects: 0 });
  await route.fulfill({ response });
}

/**
 * Stripe's hosts the page's scripts reach: js.stripe.com serves the fake Stripe.js and its frame,
 * api.stripe.com is forwarded to the fake Stripe API at `fakeUrl`. (hooks.stripe.com, reached by
 * a redirect that routes never see, is stripe-hooks-proxy.ts.)
 */
export async function routeStripe(page: Page, fakeUrl: string): Promise<void> {
  await page.route(/^https:\/\/js\.stripe\.com\//, (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/v3' || path === '/v3/') {
      return route.fulfill({ status: 200, contentType: 'application/javascript; charset=utf-8', body: STRIPE_JS });
    }
    if (path === '/v3/elements-inner-payment.html') {
      return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: PAYMENT_FRAME_HTML });
    }
    return route.fulfill({ status: 404, body: 'not found' });
  });
  await page.route(/^https:\/\/api\.stripe\.com\//, (route) => forward(route, fakeUrl));
}
