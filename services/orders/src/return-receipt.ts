import { NotFound } from '@storefront/kit';
import type { Core } from './core.ts';
import { ReturnRefused } from './errors.ts';
import { audited } from './order-events.ts';
import { getReturn, moveReturn } from './store-returns.ts';

/**
 * The warehouse marks a returned parcel as arrived (approved | label_created → received), for a
 * parcel that came back without the carrier's scan. Marking a received return again changes
 * nothing (a double submit); a carrier scan that arrives later finds it received and does nothing.
 */
export async function receiveReturn(core: Core, id: string, actor: string): Promise<void> {
  await core.db.tx(async (tx) => {
    const r = await getReturn(tx, id, true);
    if (!r) throw new NotFound(`no return ${id}`);
    if (r.status === 'received') return;
    const now = core.clock();
    if (!(await moveReturn(tx, id, ['approved', 'label_created'], 'received', {}, now))) {
      throw new ReturnRefused(`return is ${r.status}`);
    }
    await audited(core.outbox, tx, {
      actor,
      action: 'return.receive',
      orderId: r.orderId,
      at: now,
      details: { returnId: id },
    });
  });
}
