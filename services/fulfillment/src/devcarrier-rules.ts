import { randomBytes } from 'node:crypto';
import type { Address } from '@storefront/contracts';
import type { ReportedStatus, ShipmentKind } from './domain.ts';

/** The development carrier's behaviour, as pure functions its tests read as tables. */

export interface ServiceArea {
  /** ISO country codes it does not deliver to. */
  readonly refuseCountries: readonly string[];
  /** Postal codes it does not deliver to (compared without spaces, upper case); `00000` by default. */
  readonly refusePostalCodes: readonly string[];
}

const normalize = (postalCode: string) => postalCode.replace(/\s+/g, '').toUpperCase();

/** Why the carrier will not serve an address, or null if it will. Lets tests make creation fail on purpose. */
export function refusal(address: Address, area: ServiceArea): string | null {
  if (area.refuseCountries.map((c) => c.toUpperCase()).includes(address.country)) {
    return `devcarrier does not serve country ${address.country}`;
  }
  const postal = normalize(address.postalCode);
  if (area.refusePostalCodes.map(normalize).includes(postal)) {
    return `devcarrier does not serve postal code ${address.postalCode} (${address.country})`;
  }
  return null;
}

/** Returns skip `out_for_delivery`: they are handed in at a location, not delivered to a door. */
const ROUTES: Record<ShipmentKind, readonly ReportedStatus[]> = {
  outbound: ['label_created', 'picked_up', 'in_transit', 'out_for_delivery', 'delivered'],
  return: ['label_created', 'picked_up', 'in_transit', 'delivered'],
};

/** The status the parcel reaches next, or null when it has arrived. */
export function nextStep(kind: ShipmentKind, status: string): ReportedStatus | null {
  const route = ROUTES[kind];
  const i = route.indexOf(status as ReportedStatus);
  return i >= 0 ? (route[i + 1] ?? null) : null;
}

export function stepDetail(status: ReportedStatus, origin: string, destination: string): string {
  switch (status) {
    case 'picked_up':
      return `Picked up from ${origin}`;
    case 'in_transit':
      return `In transit to ${destination}`;
    case 'out_for_delivery':
      return `Out for delivery in ${destination}`;
    case 'delivered':
      return `Delivered to ${destination}`;
    default:
      return status;
  }
}

/** Exponential backoff for a failed webhook post: base, 2×base, 4×base … up to cap. */
export function retryDelay(attempts: number, baseMs: number, capMs = 300_000): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, Math.min(attempts - 1, 30)));
}

export function newTrackingNumber(): string {
  return `DC${randomBytes(8).toString('hex').toUpperCase()}`;
}

export function place(address: Address): string {
  return `${address.city}, ${address.country}`;
}

const xml = (s: string) =>
  s.slice(0, 48).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * A printable label as an SVG data URL: no file store and no route to serve it, and it fits the
 * contract's 2000 characters because every field is cut to 48.
 */
export function labelUrl(label: { trackingNumber: string; from: string; to: string; kind: ShipmentKind }): string {
  const rows = [
    `DEVCARRIER ${label.kind === 'return' ? 'RETURN' : 'PARCEL'}`,
    `FROM ${label.from}`,
    `TO ${label.to}`,
    label.trackingNumber,
  ];
  const text = rows.map((r, i) => `<text x="10" y="${24 + i * 24}">${xml(r)}</text>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="120" font-family="monospace" font-size="16">${text}</svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}
