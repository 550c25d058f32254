import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { newId } from '@storefront/contracts';
import { createFaults, type Db, migrate } from '@storefront/kit';
import { silentLog, testDb } from '@storefront/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CarrierRefused } from './carrier.ts';
import { createDevcarrier } from './devcarrier.ts';
import { createDevcarrierRunner } from './devcarrier-runner.ts';
import { SIGNATURE_HEADER, verifySignature } from './webhook-signature.ts';

/** The dev carrier on its own: labels, cancellation, and two schedulers sharing its steps. */
const SECRET = 'devcarrier-unit-secret-0123456789';
let db: Db & { drop(): Promise<void> };
let server: Server;
let url: string;
const posts: { id: string; status: string; trackingNumber: string; verified: boolean }[] = [];

beforeAll(async () => {
  db = testDb('dc');
  await migrate(db, [fileURLToPath(new URL('../migrations', import.meta.url))]);
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const verified = verifySignature([SECRET], body, req.headers[SIGNATURE_HEADER] as string, new Date()).ok;
      posts.push({ ...JSON.parse(body), verified });
      res.writeHead(200).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  server.close();
  await db.drop();
});

const carrier = () =>
  createDevcarrier({
    db,
    clock: () => new Date(),
    newId: () => newId(),
    faults: createFaults({}),
    area: { refuseCountries: [], refusePostalCodes: ['00000'] },
    stepMs: 0,
    secrets: [SECRET],
  });
const to = { name: 'Ada', line1: '1 Main St', city: 'Leeds', postalCode: 'LS1 1AA', country: 'GB' };
const parcel = (reference: string) => ({
  reference,
  orderId: newId(),
  fromLocation: 'wh-a',
  to,
  method: 'standard',
  lines: [{ sku: 'A', qty: 1 }],
});

describe('devcarrier labels', () => {
  it('gives the same label for the same reference, a new one once that was cancelled', async () => {
    const c = carrier();
    const first = await c.createLabel(parcel('ref-1'));
    expect(await c.createLabel(parcel('ref-1'))).toEqual(first);
    await c.cancel(first.trackingNumber);
    await c.cancel(first.trackingNumber);
    const again = await c.createLabel(parcel('ref-1'));
    expect(again.trackingNumber).not.toBe(first.trackingNumber);
  });

  it('refuses an address it does not serve and a cancel after pickup', async () => {
    const c = carrier();
    await expect(c.createLabel({ ...parcel('ref-2'), to: { ...to, postalCode: '00000' } })).rejects.toBeInstanceOf(
      CarrierRefused,
    );
    const label = await c.createLabel(parcel('ref-3'));
    await db.query(`UPDATE devcarrier_parcels SET status = 'picked_up' WHERE tracking_number = $1`, [
      label.trackingNumber,
    ]);
    await expect(c.cancel(label.trackingNumber)).rejects.toThrow(/picked_up/);
    await expect(c.cancel('DC-NOPE')).rejects.toBeInstanceOf(CarrierRefused);
  });
});

describe('devcarrier scheduler', () => {
  it('walks every parcel once, in order, with two runners taking steps side by side', async () => {
    await db.query(`DELETE FROM carrier_jobs`);
    const c = carrier();
    const labels = await Promise.all(Array.from({ length: 8 }, (_, i) => c.createLabel(parcel(`walk-${i}`))));
    const runner = () =>
      createDevcarrierRunner({
        db,
        clock: () => new Date(),
        newId: () => newId(),
        log: silentLog(),
        faults: createFaults({}),
        webhookUrl: url,
        secret: SECRET,
        stepMs: 0,
        pollMs: 10,
        retryBaseMs: 10,
        maxAttempts: 3,
        batch: 3,
      });
    const [r1, r2] = [runner(), runner()];
    for (let i = 0; i < 40; i++) {
      const [n1, n2] = await Promise.all([r1.runOnce(), r2.runOnce()]);
      if (n1 + n2 === 0) break;
    }
    for (const l of labels) {
      const mine = posts.filter((p) => p.trackingNumber === l.trackingNumber);
      expect(mine.map((p) => p.status)).toEqual(['picked_up', 'in_transit', 'out_for_delivery', 'delivered']);
      expect(new Set(mine.map((p) => p.id)).size).toBe(4);
      expect(mine.every((p) => p.verified)).toBe(true);
    }
    const { rows } = await db.query<{ status: string }>(
      `SELECT DISTINCT status FROM devcarrier_parcels WHERE tracking_number = ANY($1)`,
      [labels.map((l) => l.trackingNumber)],
    );
    expect(rows).toEqual([{ status: 'delivered' }]);
  });
});
