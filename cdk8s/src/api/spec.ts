/**
 * The Storefront API (storefront.dev/v1alpha1), written once as zod. The TypeScript types, the
 * CRD's OpenAPI schema and the charts' values.schema.json are all generated from these schemas
 * (see crd.ts and generate.ts); a test fails when a checked-in copy drifts.
 *
 * Every string and list is bounded: the API server rejects CRDs whose CEL rules could cost too much,
 * and a bounded schema is also the cheapest defence against a hostile or fat-fingered spec.
 */
import { SERVICES } from '@storefront/contracts';
import { z } from 'zod';

/**
 * A validation rule written twice, side by side: as CEL for the API server (x-kubernetes-validations)
 * and as a predicate for zod, so the operator and `helm install` enforce what the CRD enforces.
 */
interface Rule<T> {
  rule: string;
  message: string;
  check: (value: T) => boolean;
}
function withRules<S extends z.ZodType>(schema: S, rules: Rule<z.output<S>>[]): S {
  let out = schema;
  for (const r of rules) out = out.refine(r.check, { message: r.message }) as unknown as S;
  return out.meta({ 'x-kubernetes-validations': rules.map(({ rule, message }) => ({ rule, message })) });
}

/** A Kubernetes quantity such as `250m`, `1`, `512Mi`, `10Gi`. */
export const Quantity = z
  .string()
  .max(32)
  .regex(/^[0-9]+(\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/, 'a Kubernetes quantity such as 250m or 512Mi');

const ResourceList = z.strictObject({ cpu: Quantity.optional(), memory: Quantity.optional() });

export const Resources = z
  .strictObject({ requests: ResourceList.optional(), limits: ResourceList.optional() })
  .describe('Container requests and limits. Unset fields take the defaults of the component.');

export const Autoscaling = withRules(
  z
    .strictObject({
      minReplicas: z.int().min(1).max(100).default(2),
      maxReplicas: z.int().min(1).max(100).default(5),
      targetCPUUtilizationPercentage: z.int().min(10).max(100).default(70),
    })
    .describe('HorizontalPodAutoscaler on CPU. When set, the Deployment carries no replicas field.'),
  [
    {
      rule: 'self.minReplicas <= self.maxReplicas',
      message: 'minReplicas must be <= maxReplicas',
      check: (a) => a.minReplicas <= a.maxReplicas,
    },
  ],
);

const serviceFields = {
  replicas: z
    .int()
    .min(0)
    .max(100)
    .optional()
    .describe('Fixed replica count (default 1); mutually exclusive with autoscaling.'),
  autoscaling: Autoscaling.optional(),
  resources: Resources.optional(),
};
const replicasXorAutoscaling: Rule<{ replicas?: number | undefined; autoscaling?: unknown }> = {
  rule: '!(has(self.replicas) && has(self.autoscaling))',
  message: 'set replicas or autoscaling, not both',
  check: (s) => s.replicas === undefined || s.autoscaling === undefined,
};

export const ServiceSettings = withRules(z.strictObject(serviceFields), [replicasXorAutoscaling]);
export const OptionalServiceSettings = withRules(
  z.strictObject({ enabled: z.boolean().default(true), ...serviceFields }),
  [replicasXorAutoscaling],
);

/** One optional key per service in the contracts list; only optional services may be disabled. */
const serviceShape = Object.fromEntries(
  SERVICES.map((s) => [s.name, (s.optional ? OptionalServiceSettings : ServiceSettings).optional()]),
) as Record<string, z.ZodOptional<typeof OptionalServiceSettings | typeof ServiceSettings>>;
export const Services = z.strictObject(serviceShape).describe('Per-service settings, keyed by service name.');

export const SecretKeyRef = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(253)
    .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/),
  key: z.string().min(1).max(253).default('url'),
});

const storage = (defaultSize: string) => ({
  storage: Quantity.default(defaultSize).describe(
    'Size of the PersistentVolumeClaim (kept when the Storefront is deleted).',
  ),
  storageClassName: z.string().max(253).optional(),
  resources: Resources.optional(),
});
const mode = z.enum(['managed', 'external']).default('managed');
const modeRules: Rule<{ mode: 'managed' | 'external'; external?: unknown }>[] = [
  {
    rule: "self.mode != 'external' || has(self.external)",
    message: 'mode external needs external.secretRef',
    check: (d) => d.mode !== 'external' || d.external !== undefined,
  },
  {
    rule: "self.mode != 'managed' || !has(self.external)",
    message: 'external is only allowed with mode external',
    check: (d) => d.mode !== 'managed' || d.external === undefined,
  },
];
const External = z
  .strictObject({ secretRef: SecretKeyRef.describe('Secret key holding the connection URL.') })
  .describe('An instance run outside this Storefront.');

export const Postgres = withRules(
  z.strictObject({
    mode,
    managed: z
      .strictObject({
        version: z
          .string()
          .max(16)
          .regex(/^1[4-8](\.[0-9]+)?$/)
          .default('16'),
        ...storage('5Gi'),
      })
      .optional(),
    external: External.optional().describe(
      'secretRef.key holds an admin URL (a role allowed to create roles and schemas).',
    ),
  }),
  modeRules,
);

export const Redis = withRules(
  z.strictObject({
    mode,
    managed: z
      .strictObject({
        version: z
          .string()
          .max(16)
          .regex(/^[6-8](\.[0-9]+){0,2}$/)
          .default('7.4'),
        ...storage('1Gi'),
      })
      .optional(),
    external: External.optional(),
  }),
  modeRules,
);

export const Nats = withRules(
  z.strictObject({
    mode,
    managed: withRules(
      z.strictObject({
        // 2.12 is the first release where `sync_interval: always` is trustworthy (see docs/kubernetes.md).
        version: z
          .string()
          .max(16)
          .regex(/^2\.(1[2-9]|[2-9][0-9])(\.[0-9]+)?$/, 'NATS >= 2.12')
          .default('2.12.1'),
        replicas: z.int().min(1).max(5).default(1),
        ...storage('2Gi'),
      }),
      [
        {
          rule: 'self.replicas % 2 == 1',
          message: 'NATS replicas must be odd (1, 3 or 5)',
          check: (n) => n.replicas % 2 === 1,
        },
      ],
    ).optional(),
    external: External.optional(),
  }),
  modeRules,
);

export const Payments = withRules(
  z.strictObject({
    provider: z.enum(['sandbox', 'stripe']).default('sandbox'),
    secretRef: z
      .strictObject({ name: z.string().min(1).max(253) })
      .optional()
      .describe('Secret with STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET.'),
  }),
  [
    {
      rule: "self.provider != 'stripe' || has(self.secretRef)",
      message: 'stripe needs secretRef',
      check: (p) => p.provider !== 'stripe' || p.secretRef !== undefined,
    },
  ],
);

const hostname = z
  .string()
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, 'a DNS name');

export const Ingress = z.strictObject({
  host: hostname,
  className: z.string().max(253).optional(),
  tlsSecretName: z.string().max(253).optional().describe('TLS secret for host; the public URL is https when set.'),
});

export const Observability = z.strictObject({
  otlpEndpoint: z
    .string()
    .max(512)
    .regex(/^https?:\/\/[^\s]+$/)
    .optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  serviceMonitor: z
    .strictObject({
      enabled: z.boolean().default(false),
      labels: z
        .record(z.string().max(63), z.string().max(63))
        .optional()
        .describe('Extra labels, e.g. release: kube-prometheus-stack.'),
      interval: z
        .string()
        .max(16)
        .regex(/^[0-9]+(s|m)$/)
        .default('30s'),
    })
    .optional(),
});

export const NetworkPolicies = z.strictObject({
  enabled: z.boolean().default(true),
  ingressNamespace: z.string().max(63).default('ingress-nginx').describe('Namespace of the ingress controller.'),
  monitoringNamespace: z.string().max(63).default('monitoring').describe('Namespace of Prometheus.'),
});

export const StorefrontSpec = z.strictObject({
  image: z.string().min(1).max(512).describe('Application image; `:version` is appended when it has no tag or digest.'),
  version: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[0-9A-Za-z][0-9A-Za-z._+-]*$/)
    .describe('The application version to run.'),
  imagePullPolicy: z.enum(['IfNotPresent', 'Always', 'Never']).default('IfNotPresent'),
  suspend: z.boolean().default(false).describe('Stop reconciling; objects are left as they are.'),
  services: Services.optional(),
  postgres: Postgres.optional(),
  redis: Redis.optional(),
  nats: Nats.optional(),
  payments: Payments.optional(),
  ingress: Ingress.optional(),
  observability: Observability.optional(),
  networkPolicy: NetworkPolicies.optional(),
});

export type StorefrontSpecInput = z.input<typeof StorefrontSpec>;
export type StorefrontSpec = z.output<typeof StorefrontSpec>;
/** Settings of one service after defaults; `enabled` exists only for optional services. */
export type ServiceSettings = Omit<z.output<typeof OptionalServiceSettings>, 'enabled'> & { enabled?: boolean };
export type ResourcesSpec = z.output<typeof Resources>;
