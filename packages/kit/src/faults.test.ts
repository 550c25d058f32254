import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InjectedFault } from './errors.ts';
import { createFaults } from './faults.ts';

describe('fault flags', () => {
  it('fails a handler at the configured rate', async () => {
    const rolls = [0.1, 0.9, 0.2, 0.8];
    const faults = createFaults({
      json: JSON.stringify([{ handler: 'order.placed.v1', fail: 0.5 }]),
      random: () => rolls.shift() ?? 1,
    });
    const outcomes: string[] = [];
    for (let i = 0; i < 4; i++) {
      outcomes.push(
        await faults.handler('order.placed.v1').then(
          () => 'ok',
          (e) => (e instanceof InjectedFault ? 'fault' : 'other'),
        ),
      );
    }
    expect(outcomes).toEqual(['fault', 'ok', 'fault', 'ok']);
    await expect(faults.handler('other.v1')).resolves.toBeUndefined();
  });

  it('adds delay and crashes at a named point, bounded by times', async () => {
    let kills = 0;
    const faults = createFaults({
      json: JSON.stringify([
        { crashAfter: 'saga.authorized', times: 1 },
        { route: 'GET /x', delayMs: 30 },
      ]),
      kill: () => kills++,
    });
    faults.point('saga.reserved');
    faults.point('saga.authorized');
    faults.point('saga.authorized');
    expect(kills).toBe(1);
    const t = Date.now();
    await faults.route('GET /x');
    expect(Date.now() - t).toBeGreaterThanOrEqual(25);
  });

  it('re-reads a rules file when it changes, and rejects bad rules', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faults-'));
    const file = join(dir, 'faults.json');
    writeFileSync(file, '[]');
    const faults = createFaults({ file });
    expect(faults.active).toBe(false);
    writeFileSync(file, JSON.stringify([{ route: 'POST /checkout', fail: 1 }]));
    utimesSync(file, new Date(), new Date(Date.now() + 5_000));
    expect(faults.active).toBe(true);
    await expect(faults.route('POST /checkout')).rejects.toBeInstanceOf(InjectedFault);
    expect(() => createFaults({ json: JSON.stringify([{ fail: 1 }]) })).toThrow(/exactly one/);
  });
});
