/**
 * The one list of deployables. The launcher, the gateway's routing table, the operator and the
 * image's entry point all read it, so adding a service is one line here plus its folder.
 */
export interface ServiceInfo {
  /** Folder under services/ and the DNS name on Kubernetes. */
  readonly name: string;
  /** Local port under `npm start`; on Kubernetes every service listens on 8080. */
  readonly port: number;
  /** Owns a Postgres schema (and so a login role and migrations). */
  readonly database: boolean;
  /** Uses Redis. */
  readonly redis: boolean;
  /** Publishes or consumes JetStream events. */
  readonly messaging: boolean;
  /** May be switched off in a Storefront spec. */
  readonly optional: boolean;
  /** Exposed under /api/<name>/ by the gateway. */
  readonly routedByGateway: boolean;
}

const svc = (
  name: string,
  port: number,
  needs: { database?: boolean; redis?: boolean; messaging?: boolean; optional?: boolean; routed?: boolean },
): ServiceInfo => ({
  name,
  port,
  database: needs.database ?? true,
  redis: needs.redis ?? false,
  messaging: needs.messaging ?? true,
  optional: needs.optional ?? false,
  routedByGateway: needs.routed ?? true,
});

export const SERVICES: readonly ServiceInfo[] = [
  svc('gateway', 8080, { database: false, redis: true, messaging: true, routed: false }),
  svc('web', 8081, { database: false, messaging: false, routed: false }),
  svc('identity', 8082, { redis: true }),
  svc('catalog', 8083, { redis: true }),
  svc('inventory', 8084, {}),
  svc('cart', 8085, { redis: true }),
  svc('orders', 8086, {}),
  svc('payments', 8087, {}),
  svc('fulfillment', 8088, {}),
  svc('notifications', 8089, { optional: true }),
  svc('crm', 8090, { optional: true }),
  svc('content', 8091, { optional: true }),
  svc('analytics', 8092, { optional: true }),
  svc('recommendations', 8093, { database: false, redis: true, optional: true }),
];

export type ServiceName = (typeof SERVICES)[number]['name'];

export function serviceInfo(name: string): ServiceInfo | undefined {
  return SERVICES.find((s) => s.name === name);
}
