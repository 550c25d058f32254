// Account page enhancements (progressive; every form works without this file).
(() => {
  // An expired session: app.js refreshes it and reloads. If this page is still here a few seconds
  // later (the refresh failed or was already tried), go to the sign-in page it names.
  const restore = document.querySelector('[data-session-restore]');
  if (restore) {
    setTimeout(() => {
      const to = restore.getAttribute('data-session-restore');
      if (to?.startsWith('/') && !to.startsWith('//')) location.assign(to);
    }, 4000);
  }

  // Live order status: while an order or a return is moving, fetch this page again now and then
  // and swap in the new status (announced by its role=status line) and the parts below it. The
  // page stops looking once the server no longer marks it live. Without script a <noscript>
  // refresh does the same by reloading.
  const live = document.getElementById('order-live');
  const statusLine = document.getElementById('order-status');
  if (live?.dataset.live && statusLine) {
    let failures = 0;
    const tick = async () => {
      const seconds = Number(live.dataset.live);
      if (!seconds || document.hidden) return schedule(seconds || 0);
      try {
        const res = await fetch(location.pathname + location.search, {
          headers: { accept: 'text/html' },
          credentials: 'same-origin',
        });
        if (!res.ok) throw new Error(String(res.status));
        const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
        const nextLive = doc.getElementById('order-live');
        const nextStatus = doc.getElementById('order-status');
        if (!nextLive || !nextStatus) throw new Error('not an order page');
        failures = 0;
        if (nextStatus.textContent !== statusLine.textContent) statusLine.replaceChildren(...nextStatus.childNodes);
        // Keep the reader's place: only replace what changed, and never while they are in it.
        if (nextLive.innerHTML !== live.innerHTML && !live.contains(document.activeElement)) {
          live.replaceChildren(...nextLive.childNodes);
        }
        if (nextLive.dataset.live) live.dataset.live = nextLive.dataset.live;
        else delete live.dataset.live;
      } catch {
        failures++;
      }
      schedule(Number(live.dataset.live || 0));
    };
    const schedule = (seconds) => {
      if (!seconds || failures > 5) return;
      setTimeout(tick, seconds * 1000 * (1 + failures));
    };
    schedule(Number(live.dataset.live));
  }

  // "Copy" buttons next to the MFA setup key and the recovery codes.
  for (const el of document.querySelectorAll('[data-copy]')) {
    if (!navigator.clipboard) break;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'secondary acct-copy';
    button.textContent = el.tagName === 'UL' ? 'Copy the codes' : 'Copy the key';
    const status = document.createElement('span');
    status.setAttribute('role', 'status');
    status.className = 'muted';
    button.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(el.getAttribute('data-copy') || '');
        status.textContent = ' Copied.';
      } catch {
        status.textContent = ' Could not copy; select the text instead.';
      }
    });
    el.after(button, status);
  }
})();
