import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * Ids are UUIDv7: time-ordered (good B-tree locality, sortable by creation) and unguessable
 * enough for public URLs. Generated here so that every service makes them the same way.
 */
export function newId(now: number = Date.now()): string {
  const b = randomBytes(16);
  b[0] = (now / 2 ** 40) & 0xff;
  b[1] = (now / 2 ** 32) & 0xff;
  b[2] = (now >>> 24) & 0xff;
  b[3] = (now >>> 16) & 0xff;
  b[4] = (now >>> 8) & 0xff;
  b[5] = now & 0xff;
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x70;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const Id = z.uuid().describe('UUID');
export type Id = z.infer<typeof Id>;

export type IdFactory = () => string;
export type Clock = () => Date;
