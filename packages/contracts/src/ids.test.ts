import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { newId } from './ids.ts';

describe('newId', () => {
  it('makes valid, unique, time-ordered UUIDv7s', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => newId(1_700_000_000_000 + i));
    expect(new Set(ids).size).toBe(1000);
    for (const id of ids) expect(z.uuid().safeParse(id).success).toBe(true);
    expect(ids[0]?.[14]).toBe('7');
    expect([...ids].sort()).toEqual(ids);
  });
});
