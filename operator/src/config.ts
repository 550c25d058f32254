/** Operator settings, from the environment the chart sets. Fails fast with the field name. */
import { hostname } from 'node:os';
import { z } from 'zod';

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const OperatorConfig = z.object({
  /** Empty: all namespaces (needs the ClusterRole); set: only this one. */
  WATCH_NAMESPACE: z.string().max(63).default(''),
  /** Where the leader-election Lease lives (the operator's own namespace). */
  POD_NAMESPACE: z.string().min(1).default('storefront-system'),
  POD_NAME: z.string().min(1).default(hostname()),
  LEADER_ELECT: bool.default(true),
  LEASE_NAME: z.string().default('storefront-operator'),
  PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  RESYNC_SECONDS: z.coerce.number().int().min(30).max(3600).default(300),
  WORKERS: z.coerce.number().int().min(1).max(16).default(2),
  LOG_LEVEL: z.enum(['error', 'warn', 'info', 'debug']).default('info'),
});
export type OperatorConfig = z.output<typeof OperatorConfig>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): OperatorConfig {
  const parsed = OperatorConfig.safeParse(env);
  if (!parsed.success) {
    throw new Error(
      `invalid operator config: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}
