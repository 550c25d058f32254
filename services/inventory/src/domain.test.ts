import { describe, expect, it } from 'vitest';
import {
  adjustedOnHand,
  allocate,
  assertSameRequest,
  type Candidate,
  explainTransition,
  type Line,
  normalizeLines,
} from './domain.ts';
import { IdempotencyMismatch, InsufficientStock, InvalidTransition } from './errors.ts';

/** `'A@wh-1:5'` → a candidate; warehouses (`wh-*`) priority 10, stores 100, unless `!p` given. */
const stock = (...specs: string[]): Candidate[] =>
  specs.map((s) => {
    const m = /^(.+)@(.+):(\d+)(?:!(\d+))?$/.exec(s);
    if (!m) throw new Error(`bad spec ${s}`);
    const [, sku = '', location = '', n = '0', p] = m;
    return {
      sku,
      location,
      available: Number(n),
      priority: p === undefined ? (location.startsWith('wh') ? 10 : 100) : Number(p),
    };
  });
const lines = (...specs: string[]): Line[] =>
  specs.map((s) => {
    const [sku = '', qty = '0'] = s.split(':');
    return { sku, qty: Number(qty) };
  });
const plan = (r: ReturnType<typeof allocate>) =>
  r.ok ? r.allocations.map((a) => `${a.sku}@${a.location}:${a.qty}`) : r.shortfalls;

describe('allocate', () => {
  it.each([
    ['one location has it all', lines('A:2'), stock('A@wh-1:5', 'A@wh-2:9'), ['A@wh-1:2']],
    ['lower priority wins over code order', lines('A:2'), stock('A@wh-1:5!50', 'A@wh-2:9!10'), ['A@wh-2:2']],
    ['warehouse before store', lines('A:1'), stock('A@store-1:5', 'A@wh-9:5'), ['A@wh-9:1']],
    [
      'a location covering every line beats a better one covering some',
      lines('A:1', 'B:1'),
      stock('A@wh-1:5', 'A@wh-2:5', 'B@wh-2:5'),
      ['A@wh-2:1', 'B@wh-2:1'],
    ],
    [
      'two locations, each line whole, rather than a split',
      lines('A:3', 'B:3'),
      stock('A@wh-1:3', 'B@wh-1:1', 'B@wh-2:3', 'A@wh-2:1'),
      ['A@wh-1:3', 'B@wh-2:3'],
    ],
    [
      'a line split when no single location covers it, largest first',
      lines('A:10'),
      stock('A@wh-1:4', 'A@wh-2:7', 'A@wh-3:2'),
      ['A@wh-1:3', 'A@wh-2:7'],
    ],
    [
      'fewest locations: three small ones lose to two',
      lines('A:6'),
      stock('A@wh-1:2', 'A@wh-2:2', 'A@wh-3:2', 'A@store-1:4'),
      ['A@store-1:4', 'A@wh-1:2'],
    ],
    [
      'with equal shipment counts, fewer parts wins',
      lines('A:4', 'B:4'),
      stock('A@wh-1:4', 'B@wh-1:2', 'A@wh-2:2', 'B@wh-2:4', 'A@wh-3:4', 'B@wh-3:2'),
      ['A@wh-1:4', 'B@wh-2:4'],
    ],
    ['zero and unknown rows are ignored', lines('A:1'), stock('A@wh-1:0', 'B@wh-2:5', 'A@wh-3:1'), ['A@wh-3:1']],
    [
      'results in lock order (sku, location)',
      lines('B:1', 'A:1'),
      stock('A@wh-2:1', 'B@wh-1:1'),
      ['A@wh-2:1', 'B@wh-1:1'],
    ],
  ])('%s', (_name, want, candidates, expected) => {
    expect(plan(allocate(want, candidates))).toEqual(expected);
  });

  it.each([
    [
      'one sku short',
      lines('A:5', 'B:1'),
      stock('A@wh-1:2', 'A@wh-2:2', 'B@wh-1:9'),
      [{ sku: 'A', requested: 5, available: 4 }],
    ],
    ['unknown sku', lines('Z:1'), stock('A@wh-1:2'), [{ sku: 'Z', requested: 1, available: 0 }]],
    [
      'every short line is named',
      lines('A:3', 'B:3'),
      stock('A@wh-1:1', 'B@wh-1:2'),
      [
        { sku: 'A', requested: 3, available: 1 },
        { sku: 'B', requested: 3, available: 2 },
      ],
    ],
  ])('refuses when %s, naming the shortfall', (_name, want, candidates, shortfalls) => {
    expect(allocate(want, candidates)).toEqual({ ok: false, shortfalls });
  });

  it.each([
    ['everything at the store', lines('A:2', 'B:1'), stock('A@store-1:2', 'B@store-1:3', 'A@wh-1:50'), true],
    ['the store lacks a line, even though a warehouse has it', lines('A:3'), stock('A@store-1:2', 'A@wh-1:50'), false],
  ])('pickup: %s', (_name, want, candidates, ok) => {
    const r = allocate(want, candidates, { pickupLocation: 'store-1' });
    expect(r.ok).toBe(ok);
    if (r.ok) expect(r.allocations.every((a) => a.location === 'store-1')).toBe(true);
    else expect(r.shortfalls).toEqual([{ sku: 'A', requested: 3, available: 2 }]);
  });

  it('settles for a valid plan when there are too many locations to search', () => {
    const many = Array.from({ length: 40 }, (_, i) => `A@wh-${String(i).padStart(2, '0')}:1`);
    const r = allocate(lines('A:30'), stock(...many));
    expect(r.ok && r.allocations.reduce((s, a) => s + a.qty, 0)).toBe(30);
  });

  it('never allocates more than a location has, nor other than what was asked', () => {
    const candidates = stock('A@wh-1:3', 'A@wh-2:5', 'B@wh-2:1', 'B@store-1:6', 'C@store-1:2', 'C@wh-1:2');
    for (const [a, b, c] of [
      [8, 7, 4],
      [1, 1, 1],
      [3, 0, 2],
      [5, 6, 0],
    ] as const) {
      const want = lines(`A:${a}`, `B:${b}`, `C:${c}`).filter((l) => l.qty > 0);
      const r = allocate(want, candidates);
      if (!r.ok) throw new Error('expected a plan');
      for (const l of want)
        expect(r.allocations.filter((x) => x.sku === l.sku).reduce((s, x) => s + x.qty, 0)).toBe(l.qty);
      for (const x of r.allocations) {
        const have = candidates.find((c) => c.sku === x.sku && c.location === x.location)?.available ?? 0;
        expect(x.qty).toBeLessThanOrEqual(have);
      }
    }
  });
});

describe('normalizeLines', () => {
  it('sorts by sku', () => {
    expect(normalizeLines(lines('b:1', 'A:2', 'a:3'))).toEqual(lines('A:2', 'a:3', 'b:1'));
  });
  it('refuses a sku twice', () => {
    expect(() => normalizeLines(lines('A:1', 'A:2'))).toThrow(/appears twice/);
  });
});

describe('assertSameRequest', () => {
  const existing = { id: 'r1', lines: lines('A:1', 'B:2'), pickupLocation: null };
  it.each([
    ['other qty', lines('A:1', 'B:3'), null],
    ['fewer lines', lines('A:1'), null],
    ['other sku', lines('A:1', 'C:2'), null],
    ['a pickup location', lines('A:1', 'B:2'), 'store-1'],
  ])('refuses %s', (_n, l, pickup) => {
    expect(() => assertSameRequest(existing, l, pickup)).toThrow(IdempotencyMismatch);
  });
  it('accepts the same request', () => {
    expect(() => assertSameRequest(existing, lines('A:1', 'B:2'), null)).not.toThrow();
  });
});

describe('explainTransition', () => {
  const now = new Date('2026-01-01T12:00:00Z');
  const later = new Date('2026-01-01T12:10:00Z');
  it.each([
    ['committed', 'committed', later, 'noop'],
    ['released', 'released', later, 'noop'],
    ['released', 'committed', later, /released; it cannot be committed/],
    ['committed', 'released', later, /committed; it cannot be released/],
    ['held', 'committed', now, /expired/],
  ] as const)('%s → %s', (status, target, expiresAt, outcome) => {
    const r = { id: 'r1', status, expiresAt };
    if (outcome === 'noop') expect(explainTransition(r, target, now)).toBe('noop');
    else expect(() => explainTransition(r, target, now)).toThrow(InvalidTransition);
    if (outcome !== 'noop') expect(() => explainTransition(r, target, now)).toThrow(outcome);
  });
});

describe('adjustedOnHand', () => {
  const level = { onHand: 10, reserved: 4 };
  it.each([
    [{ reason: 'receipt', qty: 5 } as const, 15],
    [{ reason: 'damage', qty: 6 } as const, 4],
    [{ reason: 'correction', delta: -3 } as const, 7],
    [{ reason: 'correction', delta: 2 } as const, 12],
    [{ reason: 'count', onHand: 4 } as const, 4],
  ])('%j → %i', (a, expected) => {
    expect(adjustedOnHand(level, a)).toBe(expected);
  });
  it.each([
    { reason: 'damage', qty: 7 } as const,
    { reason: 'correction', delta: -11 } as const,
    { reason: 'count', onHand: 3 } as const,
    { reason: 'receipt', qty: 1_000_000_000 } as const,
  ])('refuses %j (below reserved or over the bound)', (a) => {
    expect(() => adjustedOnHand(level, a)).toThrow(InsufficientStock);
  });
});
