import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { WebEnv } from '../env.ts';
import { friendlyMessage, notFoundPage } from '../errors.tsx';
import { formatDate, Notice, PostForm } from '../ui.tsx';
import { parseForm, parseParam, parseQuery } from '../validate.ts';
import {
  Id,
  loadOrder,
  loadReturns,
  REASON_KEYS,
  RETURN_REASONS,
  type ReturnReason,
  returnability,
} from './order-parts.tsx';
import type { Order, OrderReturn } from './order-types.ts';
import { renderAccount } from './shared.tsx';

/** Asking for a return of a delivered order. */
export function returnRoutes(): Hono<WebEnv> {
  const app = new Hono<WebEnv>();

  // ---------------------------------------------------------------- request a return
  const returnPage = async (
    c: Context<WebEnv>,
    order: Order,
    returns: OrderReturn[],
    opts: {
      values?: Record<string, string>;
      errors?: Record<string, string>;
      error?: string;
      status?: 200 | 409 | 422 | 503;
    } = {},
  ) => {
    const can = returnability(order, returns);
    const errs = opts.errors ?? {};
    return renderAccount(c, {
      title: `Return items from order ${order.number}`,
      current: '/account/orders',
      status: opts.status ?? (can.ok ? 200 : 409),
      children: (
        <>
          <p class="acct-back">
            <a href={`/account/orders/${order.id}`}>← Order {order.number}</a>
          </p>
          <h1>Return items from order {order.number}</h1>
          {opts.error ? <Notice tone="error">{opts.error}</Notice> : null}
          {!can.ok ? (
            <>
              <Notice tone="info">{can.why}</Notice>
              <p>
                <a href={`/account/orders/${order.id}`}>Back to the order</a>
              </p>
            </>
          ) : (
            <>
              {Object.keys(errs).length > 0 && !opts.error ? (
                <Notice tone="error">{errs._ ?? 'Please correct the items marked below.'}</Notice>
              ) : null}
              <p>
                Choose what to send back and why. You can return items until {formatDate(can.until.toISOString())}.
                Refunds go to your original payment method once we have checked the items.
              </p>
              <PostForm action={`/account/orders/${order.id}/return`} csrf={c.get('csrf')} aria-label="Return request">
                {can.lines.map(({ line, index, left }) => {
                  const qErr = errs[`qty_${index}`];
                  const rErr = errs[`reason_${index}`];
                  const qty = opts.values?.[`qty_${index}`] ?? '0';
                  const reason = opts.values?.[`reason_${index}`] ?? '';
                  return (
                    <fieldset class={qErr || rErr ? 'field-invalid' : undefined}>
                      <legend>{line.name ?? line.sku}</legend>
                      <p class="muted">
                        Bought {line.quantity}
                        {left < line.quantity ? `, ${left} can still be returned` : ''}
                      </p>
                      <div class="field">
                        <label for={`qty_${index}`}>Quantity to return</label>
                        <select
                          id={`qty_${index}`}
                          name={`qty_${index}`}
                          aria-invalid={qErr ? 'true' : undefined}
                          aria-describedby={qErr ? `qty_${index}-err` : undefined}
                        >
                          {Array.from({ length: Math.min(left, 99) + 1 }, (_, n) => (
                            <option value={String(n)} selected={String(n) === qty}>
                              {n === 0 ? 'None' : String(n)}
                            </option>
                          ))}
                        </select>
                        {qErr ? (
                          <span class="field-error" id={`qty_${index}-err`}>
                            {qErr}
                          </span>
                        ) : null}
                      </div>
                      <div class="field">
                        <label for={`reason_${index}`}>Reason</label>
                        <select
                          id={`reason_${index}`}
                          name={`reason_${index}`}
                          aria-invalid={rErr ? 'true' : undefined}
                          aria-describedby={rErr ? `reason_${index}-err` : undefined}
                        >
                          <option value="" selected={reason === ''}>
                            Choose a reason
                          </option>
                          {REASON_KEYS.map((k) => (
                            <option value={k} selected={reason === k}>
                              {RETURN_REASONS[k]}
                            </option>
                          ))}
                        </select>
                        {rErr ? (
                          <span class="field-error" id={`reason_${index}-err`}>
                            {rErr}
                          </span>
                        ) : null}
                      </div>
                    </fieldset>
                  );
                })}
                <div class={`field${errs.note ? ' field-invalid' : ''}`}>
                  <label for="return-note">Anything we should know? (optional)</label>
                  <textarea
                    id="return-note"
                    name="note"
                    rows={3}
                    maxlength={1000}
                    aria-invalid={errs.note ? 'true' : undefined}
                    aria-describedby={errs.note ? 'return-note-err' : undefined}
                  >
                    {opts.values?.note ?? ''}
                  </textarea>
                  {errs.note ? (
                    <span class="field-error" id="return-note-err">
                      {errs.note}
                    </span>
                  ) : null}
                </div>
                <button type="submit">Request the return</button>
              </PostForm>
            </>
          )}
        </>
      ),
    });
  };

  app.get('/orders/:id/return', async (c) => {
    const id = parseParam(c.req.param('id'), Id);
    if (!id) return notFoundPage(c, 'order');
    parseQuery(c, z.object({}));
    const order = await loadOrder(c, id);
    return returnPage(c, order, (await loadReturns(c, id)) ?? []);
  });

  app.post('/orders/:id/return', async (c) => {
    const id = parseParam(c.req.param('id'), Id);
    if (!id) return notFoundPage(c, 'order');
    const order = await loadOrder(c, id);
    const returns = (await loadReturns(c, id)) ?? [];
    const can = returnability(order, returns);
    if (!can.ok) return returnPage(c, order, returns);
    const shape: Record<string, z.ZodType> = {
      note: z.string().trim().max(1000, 'Keep the note under 1000 characters').optional(),
    };
    for (const { index, left } of can.lines) {
      shape[`qty_${index}`] = z
        .string()
        .optional()
        .transform((s) => (s === undefined || s === '' ? 0 : Number(s)))
        .pipe(
          z
            .number('Choose a quantity')
            .int('Choose a quantity')
            .min(0, 'Choose a quantity')
            .max(left, `At most ${left} can be returned`),
        );
      shape[`reason_${index}`] = z
        .union([z.enum(REASON_KEYS), z.literal('')], 'Choose a reason from the list')
        .optional();
    }
    const form = await parseForm(
      c,
      z.object(shape).superRefine((v, ctx) => {
        let any = false;
        for (const { index } of can.lines) {
          const qty = v[`qty_${index}`] as number;
          if (qty > 0) {
            any = true;
            if (!v[`reason_${index}`])
              ctx.addIssue({ code: 'custom', path: [`reason_${index}`], message: 'Choose a reason' });
          }
        }
        if (!any) ctx.addIssue({ code: 'custom', path: ['_'], message: 'Choose at least one item to return.' });
      }),
    );
    if (!form.ok) return returnPage(c, order, returns, { values: form.raw, errors: form.errors, status: 422 });
    const data = form.data as Record<string, unknown>;
    const lines = can.lines
      .filter(({ index }) => (data[`qty_${index}`] as number) > 0)
      .map(({ line, index }) => ({
        sku: line.sku,
        qty: data[`qty_${index}`] as number,
        reason: data[`reason_${index}`] as ReturnReason,
      }));
    const note = typeof data.note === 'string' && data.note ? data.note : undefined;
    const r = await c
      .get('api')
      .call(c, 'POST', `/api/orders/orders/${id}/returns`, { json: { lines, ...(note ? { note } : {}) } });
    if (r.ok) return c.redirect(`/account/orders/${id}?done=return-requested#returns`, 303);
    if (r.status === 404) return notFoundPage(c, 'order');
    const error = friendlyMessage(r.problem ?? { status: r.status });
    return returnPage(c, order, returns, {
      values: form.raw,
      error,
      status: r.status === 409 ? 409 : r.status === 422 ? 422 : 503,
    });
  });

  return app;
}
