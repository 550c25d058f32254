// Storefront web: small progressive enhancements. Every page works without this file.
(() => {
  const cookie = (name) => {
    const m = document.cookie.match(new RegExp(`(?:^|;\\s*)${name}=([^;]*)`));
    return m ? decodeURIComponent(m[1]) : undefined;
  };

  /** Renews the access token with identity's refresh cookie (scoped to /api/identity); true when it worked. */
  const renewSession = () => {
    const csrf = cookie('sf_csrf');
    if (!csrf) return Promise.resolve(false);
    // No body: identity then takes the refresh cookie (a JSON body must carry a refreshToken).
    return fetch('/api/identity/token/refresh', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'x-csrf-token': csrf },
    }).then(
      (r) => r.ok,
      () => false,
    );
  };
  // When this page's access token runs out (the server says how long it had left when it rendered).
  const ttl = Number(document.querySelector('meta[name="sf-session-ttl"]')?.getAttribute('content'));
  const sessionEnds = Number.isFinite(ttl) && ttl > 0 ? Date.now() + ttl * 1000 : 0;

  // An expired access token with a live session: refresh it once (the refresh cookie only goes to
  // /api/identity), then reload so the page renders signed in.
  const sessionMeta = document.querySelector('meta[name="sf-session"]');
  if (sessionMeta && sessionMeta.getAttribute('content') === 'expired' && !sessionStorage.getItem('sf-refreshing')) {
    const csrf = cookie('sf_csrf');
    if (csrf) {
      sessionStorage.setItem('sf-refreshing', '1');
      renewSession()
        .then((ok) => {
          if (ok) location.reload();
        })
        .finally(() => setTimeout(() => sessionStorage.removeItem('sf-refreshing'), 5000));
    }
  }

  // Forms that need a second thought (cancel, refund, delete).
  document.addEventListener('submit', (e) => {
    const form = e.target;
    // A page script that took the submit over (and stopped it) decides for itself.
    if (!(form instanceof HTMLFormElement) || e.defaultPrevented) return;
    const question = form.getAttribute('data-confirm');
    if (question && !window.confirm(question)) {
      e.preventDefault();
      return;
    }
    // No double submits: the button is disabled once the form goes (a form that opens elsewhere
    // leaves this page as it is).
    if (form.target && form.target !== '_self') return;
    const disable = () => {
      for (const b of form.querySelectorAll('button[type="submit"], button:not([type])')) {
        if (b.disabled) continue;
        setTimeout(() => {
          b.disabled = true;
          b.setAttribute('data-sf-sent', '');
        }, 0);
      }
    };
    // A signed-in form left open past its access token's life (a minute of margin): renew the
    // session first, or the post would be refused as an expired form and what was typed lost.
    const by = e.submitter;
    const method = (by?.getAttribute('formmethod') || form.method || '').toLowerCase();
    if (
      sessionEnds &&
      method === 'post' &&
      Date.now() > sessionEnds - 60_000 &&
      !form.hasAttribute('data-sf-renewed')
    ) {
      e.preventDefault();
      form.setAttribute('data-sf-renewed', '');
      disable();
      renewSession().finally(() => {
        // form.submit() sends no submitter: carry its name/value and formaction along.
        if (by?.name) {
          const field = document.createElement('input');
          field.type = 'hidden';
          field.name = by.name;
          field.value = by.value;
          form.append(field);
        }
        if (by?.hasAttribute('formaction')) form.action = by.formAction;
        form.submit();
      });
      return;
    }
    disable();
  });
  // Back to this page from the browser's page cache: its buttons work again.
  window.addEventListener('pageshow', (e) => {
    if (!e.persisted) return;
    for (const b of document.querySelectorAll('button[data-sf-sent]')) {
      b.disabled = false;
      b.removeAttribute('data-sf-sent');
    }
  });

  // Search suggestions as you type (the form works without them).
  for (const form of document.querySelectorAll('form[data-suggest]')) {
    const input = form.querySelector('input[type="search"]');
    const list = form.querySelector('.suggestions');
    if (!input || !list) continue;
    let timer;
    let active = -1;
    let controller;
    const close = () => {
      list.hidden = true;
      list.replaceChildren();
      input.setAttribute('aria-expanded', 'false');
      // The options are gone: no reference to one of them may stay behind.
      input.removeAttribute('aria-activedescendant');
      active = -1;
    };
    const choose = (text) => {
      input.value = text;
      close();
      form.submit();
    };
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-expanded', 'false');
    input.addEventListener('input', () => {
      clearTimeout(timer);
      const q = input.value.trim();
      if (q.length < 2) return close();
      timer = setTimeout(async () => {
        controller?.abort();
        controller = new AbortController();
        try {
          const url = `${form.getAttribute('data-suggest')}?q=${encodeURIComponent(q)}&limit=8`;
          const r = await fetch(url, { signal: controller.signal, headers: { accept: 'application/json' } });
          if (!r.ok) return close();
          const data = await r.json();
          const items = [...(data.terms || []), ...(data.products || []).map((p) => p.name)].slice(0, 8);
          list.replaceChildren(
            ...items.filter(Boolean).map((text, i) => {
              const li = document.createElement('div');
              li.id = `sugg-${i}`;
              li.setAttribute('role', 'option');
              li.textContent = text;
              li.addEventListener('mousedown', (ev) => {
                ev.preventDefault();
                choose(text);
              });
              return li;
            }),
          );
          list.hidden = items.length === 0;
          input.setAttribute('aria-expanded', String(items.length > 0));
          input.removeAttribute('aria-activedescendant');
          active = -1;
        } catch {
          /* a suggestion that fails is just not shown */
        }
      }, 150);
    });
    input.addEventListener('keydown', (e) => {
      const options = [...list.querySelectorAll('[role="option"]')];
      if (list.hidden || options.length === 0) return;
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        active = (active + (e.key === 'ArrowDown' ? 1 : -1) + options.length) % options.length;
        for (const [i, o] of options.entries()) o.setAttribute('aria-selected', String(i === active));
        input.setAttribute('aria-activedescendant', options[active].id);
      } else if (e.key === 'Enter' && active >= 0) {
        e.preventDefault();
        choose(options[active].textContent);
      } else if (e.key === 'Escape') {
        close();
      }
    });
    input.addEventListener('blur', () => setTimeout(close, 100));
  }
})();
