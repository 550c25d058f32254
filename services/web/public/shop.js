// Shop enhancements (progressive; every page works without this file).
(() => {
  // Filters and sort apply as soon as they change (the forms keep their submit buttons without script).
  for (const form of document.querySelectorAll('form[data-autosubmit]')) {
    form.addEventListener('change', (e) => {
      const t = e.target;
      if (t instanceof HTMLSelectElement || (t instanceof HTMLInputElement && /^(checkbox|radio)$/.test(t.type))) {
        form.requestSubmit();
      }
    });
  }

  // Product variants: one picker per option (colour, size…) that chooses the SKU in the form's
  // select, and shows that SKU's price and stock. Without script the select lists every SKU.
  const select = document.querySelector('select[data-variant-select]');
  if (select) {
    const parse = (s, fallback) => {
      try {
        return JSON.parse(s || '');
      } catch {
        return fallback;
      }
    };
    const keys = parse(select.dataset.optionKeys, []);
    const variants = [...select.options].map((el) => ({ el, options: parse(el.dataset.options, {}) }));
    const price = document.querySelector('[data-price]');
    const compare = document.querySelector('[data-compare]');
    const button = document.querySelector('[data-add-button]');
    const note = document.createElement('p');
    note.className = 'stock-out';
    note.setAttribute('role', 'status');
    select.form?.querySelector('.stock-state')?.after(note);

    const show = () => {
      const o = select.selectedOptions[0];
      if (!o) return;
      if (price && o.dataset.price) price.textContent = o.dataset.price;
      if (compare) {
        compare.replaceChildren();
        if (o.dataset.compare) {
          const hidden = document.createElement('span');
          hidden.className = 'visually-hidden';
          hidden.textContent = 'was ';
          const s = document.createElement('s');
          s.textContent = o.dataset.compare;
          compare.append(' ', hidden, s);
        }
      }
      for (const el of document.querySelectorAll('[data-stock-for]')) el.hidden = el.dataset.stockFor !== o.value;
      if (button) button.disabled = o.disabled || o.dataset.available === '0';
      const url = new URL(location.href);
      url.searchParams.set('sku', o.value);
      history.replaceState(null, '', url);
    };

    if (keys.length > 0) {
      const field = select.closest('[data-variant-field]');
      const wrap = document.createElement('div');
      wrap.className = 'variant-options';
      const chosen = variants.find((v) => v.el.selected) ?? variants[0];
      const pickers = keys.map((key, i) => {
        const div = document.createElement('div');
        div.className = 'field';
        const label = document.createElement('label');
        label.htmlFor = `variant-opt-${i}`;
        label.textContent = key.charAt(0).toUpperCase() + key.slice(1);
        const s = document.createElement('select');
        s.id = `variant-opt-${i}`;
        for (const value of [...new Set(variants.map((v) => v.options[key]).filter(Boolean))]) {
          const o = document.createElement('option');
          o.value = value;
          o.textContent = value;
          o.selected = chosen?.options[key] === value;
          s.append(o);
        }
        div.append(label, s);
        wrap.append(div);
        return { key, s };
      });
      const sync = () => {
        const want = Object.fromEntries(pickers.map((p) => [p.key, p.s.value]));
        const match = variants.find((v) => keys.every((k) => v.options[k] === want[k]));
        if (match) {
          select.value = match.el.value;
          note.textContent = match.el.disabled ? 'This option is not sold in this currency.' : '';
          show();
        } else {
          note.textContent = 'This combination is not available. Please choose another.';
          if (button) button.disabled = true;
        }
      };
      for (const p of pickers) p.s.addEventListener('change', sync);
      if (field) {
        field.before(wrap);
        field.hidden = true;
      }
    }
    select.addEventListener('change', show);
  }

  // Order page: follow the status and reload when it moves on (no meta refresh: that would also
  // interrupt a screen reader every few seconds).
  const poll = document.querySelector('[data-order-poll]');
  if (poll) {
    const url = poll.getAttribute('data-order-poll');
    const started = Date.now();
    let delay = 1500;
    const tick = async () => {
      try {
        const r = await fetch(url, { headers: { accept: 'application/json' }, cache: 'no-store' });
        if (r.ok) {
          const data = await r.json();
          if (data.status && data.status !== poll.getAttribute('data-status')) {
            location.reload();
            return;
          }
        }
      } catch {
        /* try again later */
      }
      if (Date.now() - started < 15 * 60_000) {
        delay = Math.min(delay * 1.25, 10_000);
        setTimeout(tick, delay);
      }
    };
    setTimeout(tick, delay);
  }

  // Stripe's Payment Element (only when the shop is configured with a Stripe key): the card goes
  // from the browser to Stripe, which answers a PaymentMethod id; the form posts only that id, and
  // the payments service confirms the PaymentIntent with it (3-D Secure: Stripe's redirect page).
  const pe = document.getElementById('payment-element');
  if (pe?.dataset.stripeKey) {
    const form = pe.closest('form');
    const hidden = form?.querySelector('input[name="paymentMethod"]');
    const message = document.createElement('p');
    message.className = 'field-error';
    message.setAttribute('role', 'alert');
    pe.after(message);
    let tries = 0;
    const start = () => {
      if (!window.Stripe) {
        if (++tries < 100) setTimeout(start, 100);
        else message.textContent = 'The card form could not load. Please reload the page.';
        return;
      }
      const stripe = window.Stripe(pe.dataset.stripeKey);
      const elements = stripe.elements({
        mode: 'payment',
        amount: Number(pe.dataset.amount),
        currency: pe.dataset.currency,
        captureMethod: 'manual',
        paymentMethodCreation: 'manual',
      });
      elements.create('payment').mount(pe);
      // One PaymentMethod per attempt: a second click while Stripe answers the first is ignored
      // (two would post the same Idempotency-Key with different bodies).
      let busy = false;
      form?.addEventListener('submit', async (e) => {
        if (!hidden || hidden.value) return;
        e.preventDefault();
        e.stopPropagation();
        if (busy) return;
        busy = true;
        message.textContent = '';
        let paymentMethod;
        try {
          const submitted = await elements.submit();
          if (submitted.error) {
            message.textContent = submitted.error.message || 'Please check your card details.';
            return;
          }
          const name = form.querySelector('[name="name"]')?.value;
          const email = form.querySelector('[name="email"]')?.value;
          const created = await stripe.createPaymentMethod({
            elements,
            params: { billing_details: { name, email } },
          });
          if (created.error) {
            message.textContent = created.error.message || 'Your card could not be used.';
            return;
          }
          paymentMethod = created.paymentMethod;
        } catch {
          // Stripe.js rejects (network down, script blocked) instead of answering {error}.
          message.textContent = 'We could not reach our payment provider. Please check your connection and try again.';
          return;
        } finally {
          if (!paymentMethod) busy = false;
        }
        hidden.value = paymentMethod.id;
        for (const b of form.querySelectorAll('button[type="submit"]')) b.disabled = true;
        form.submit();
      });
    };
    start();
  }
})();
