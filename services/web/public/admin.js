// Admin console enhancements (progressive; every form works without this file).

// Catalog: the promotion form shows only the discount fields of the chosen type (all are there
// without script, each with a hint saying when it applies).
(() => {
  const kind = document.querySelector('form.admin-form select[name="kind"]');
  if (!kind) return;
  const form = kind.form;
  const fieldsFor = {
    percentage: ['percent'],
    fixed: ['amount'],
    free_shipping: [],
    buy_x_get_y: ['buy', 'get', 'getPercent'],
  };
  const all = ['percent', 'amount', 'buy', 'get', 'getPercent'];
  const sync = () => {
    const shown = fieldsFor[kind.value] || all;
    for (const name of all) {
      const input = form.querySelector(`[name="${name}"]`);
      const wrap = input?.closest('.field');
      if (wrap) wrap.hidden = !shown.includes(name);
    }
  };
  kind.addEventListener('change', sync);
  sync();
})();
