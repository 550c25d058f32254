/**
 * Storefront status: written only by the operator, through the status subresource. Condition
 * semantics follow the Kubernetes API conventions (metav1.Condition): `lastTransitionTime` moves
 * only when `status` flips, `reason` is CamelCase, `observedGeneration` says which spec was seen.
 */
import { z } from 'zod';

export const CONDITION_TYPES = [
  'Ready',
  'Progressing',
  'Degraded',
  'DatabaseReady',
  'MessagingReady',
  'CacheReady',
  'MigrationsComplete',
] as const;
export type ConditionType = (typeof CONDITION_TYPES)[number];

export const Condition = z.object({
  type: z.string().max(64),
  status: z.enum(['True', 'False', 'Unknown']),
  reason: z
    .string()
    .max(128)
    .regex(/^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/),
  message: z.string().max(2048).optional(),
  lastTransitionTime: z.string().max(64),
  observedGeneration: z.int().min(0).optional(),
});
export type Condition = z.output<typeof Condition>;

export const ServiceStatus = z.object({
  name: z.string().max(63),
  desiredReplicas: z.int().min(0),
  readyReplicas: z.int().min(0),
  updatedReplicas: z.int().min(0),
});
export type ServiceStatus = z.output<typeof ServiceStatus>;

export const StorefrontStatus = z.object({
  observedGeneration: z.int().min(0).optional(),
  conditions: z
    .array(Condition)
    .max(16)
    .optional()
    .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] }),
  services: z
    .array(ServiceStatus)
    .max(32)
    .optional()
    .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] }),
  url: z.string().max(512).optional().describe('Public URL of the store.'),
  version: z.string().max(64).optional().describe('The version the services run.'),
  image: z.string().max(512).optional().describe('The image the services run.'),
  migratedRevision: z
    .string()
    .max(64)
    .optional()
    .describe('Revision (hash of image and version) whose migration Job completed; recorded here because Jobs expire.'),
  readyServices: z.string().max(16).optional().describe('ready/enabled services, for kubectl get.'),
});
export type StorefrontStatus = z.output<typeof StorefrontStatus>;
