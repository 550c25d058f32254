import { type Caller, type Role, STAFF_ROLES } from '@storefront/kit';

/**
 * Who may call what through the public edge, as data. The gateway refuses early what a service
 * would refuse anyway, so anonymous probing of staff routes never reaches a service; the services
 * still verify the token themselves and check ownership (defence in depth).
 *
 * - `public`: anyone; a bad token is ignored here and left to the service.
 * - `signed-in`: any verified caller (customer or staff).
 * - `staff`: one of `roles`, with a session signed in with MFA when `mfa`.
 * - `internal`: never from outside (the kit's operational endpoints): the gateway answers 404.
 * - `service`: no opinion; the service decides. Anything not in the table gets this.
 */
export type Access =
  | { readonly kind: 'public' }
  | { readonly kind: 'signed-in' }
  | { readonly kind: 'staff'; readonly roles: readonly Role[]; readonly mfa: boolean }
  | { readonly kind: 'internal' }
  | { readonly kind: 'service' };

export interface Rule {
  /** `read` is GET, HEAD and OPTIONS, `write` every other method, `*` all; or a list of methods. */
  readonly methods: 'read' | 'write' | '*' | readonly string[];
  /** `/a` exactly, `/a/*` one segment under a, `/a/**` a and anything below it. */
  readonly path: string;
  readonly access: Access;
}

const PUBLIC: Access = { kind: 'public' };
const SIGNED_IN: Access = { kind: 'signed-in' };
const INTERNAL: Access = { kind: 'internal' };
const SERVICE: Access = { kind: 'service' };
const staff = (...roles: Role[]): Access => ({ kind: 'staff', roles, mfa: true });
const anyStaff = staff(...STAFF_ROLES);
const all = (access: Access, ...paths: string[]): Rule[] => paths.map((path) => ({ methods: '*', path, access }));

/** Checked first for every service: `/api/<service>/metrics` must not publish a service's internals. */
const EVERY_SERVICE: readonly Rule[] = [
  ...all(INTERNAL, '/metrics', '/healthz', '/readyz'),
  // The same documents are public, merged, at /api/openapi.json.
  { methods: 'read', path: '/openapi.json', access: PUBLIC },
];

/** Per service, first match wins: narrower and stricter rules come before broad ones. */
export const POLICY: Readonly<Record<string, readonly Rule[]>> = {
  identity: [
    // identity narrows these further (most are admin-only) and audits them.
    ...all(anyStaff, '/staff/**', '/accounts/**', '/keys/**', '/audit/**'),
    ...all(SIGNED_IN, '/me', '/sessions/**'),
    // Logout and refresh work with only the refresh cookie: a session whose access token has
    // expired must still be able to end itself. MFA steps carry a challenge, not a token.
    ...all(
      PUBLIC,
      '/register',
      '/login',
      '/login/mfa',
      '/mfa/enrol/start',
      '/mfa/enrol/confirm',
      '/token/refresh',
      '/logout',
      '/email/verify',
      '/password/forgot',
      '/password/reset',
      '/.well-known/jwks.json',
    ),
  ],
  catalog: [
    // Drafts and unpublished prices: staff even to read.
    { methods: '*', path: '/admin/**', access: staff('merchandiser', 'admin') },
    // A review is a customer's write; the catalog keeps one per author and product.
    { methods: ['POST'], path: '/products/*/reviews', access: SIGNED_IN },
    { methods: 'read', path: '/**', access: PUBLIC },
    { methods: 'write', path: '/**', access: staff('merchandiser', 'admin') },
  ],
  inventory: [
    { methods: 'read', path: '/availability', access: PUBLIC },
    { methods: 'read', path: '/locations', access: PUBLIC },
    // Reservations come from the orders saga and POS sync from store systems, both inside the
    // cluster with the service token; from outside, only staff.
    { methods: '*', path: '/**', access: staff('fulfillment', 'admin') },
  ],
  cart: [
    // The cart guards these the same way; redemptions are service-token calls from orders.
    { methods: '*', path: '/promotions/**', access: staff('merchandiser', 'admin') },
    // Guests have carts; the cart checks who owns one.
    { methods: '*', path: '/**', access: PUBLIC },
  ],
};

const READ = new Set(['GET', 'HEAD', 'OPTIONS']);

function methodMatches(methods: Rule['methods'], method: string): boolean {
  if (methods === '*') return true;
  if (methods === 'read') return READ.has(method);
  if (methods === 'write') return !READ.has(method);
  return methods.includes(method);
}

function compile(pattern: string): RegExp {
  let source = '';
  for (const part of pattern.split('/').slice(1)) {
    if (part === '**') source += '(?:/.*)?';
    else source += `/${part === '*' ? '[^/]+' : part.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
  }
  return new RegExp(`^${source || '/'}$`, 's');
}

type Compiled = { readonly methods: Rule['methods']; readonly path: RegExp; readonly access: Access };
const compiled = new Map<string, readonly Compiled[]>();
const compileAll = (rules: readonly Rule[]) => rules.map((r) => ({ ...r, path: compile(r.path) }));
const everyService = compileAll(EVERY_SERVICE);

function rulesOf(service: string): readonly Compiled[] {
  let rules = compiled.get(service);
  if (!rules) {
    rules = [...everyService, ...compileAll(POLICY[service] ?? [])];
    compiled.set(service, rules);
  }
  return rules;
}

/**
 * The path as the service's router will see it, made coarser: percent-decoded as Hono decodes
 * (decodeURI, `%25` kept), lower-cased, repeated and trailing slashes folded. Coarser only ever
 * makes a path match more rules, and stricter rules come first, so `/%73taff`, `/Staff/` and
 * `//staff` cannot slip past the rule for `/staff`.
 */
export function normalizePath(path: string): string {
  const keepPercent = path.replace(/%25/g, '%2525');
  let decoded: string;
  try {
    decoded = decodeURI(keepPercent);
  } catch {
    decoded = keepPercent.replace(/(?:%[0-9a-f]{2})+/gi, (run) => {
      try {
        return decodeURI(run);
      } catch {
        return run;
      }
    });
  }
  return (
    decoded
      .toLowerCase()
      .replace(/\/{2,}/g, '/')
      .replace(/(.)\/$/s, '$1') || '/'
  );
}

/** What the edge requires for `method path` on `service` (path without the `/api/<service>` prefix). */
export function accessFor(service: string, method: string, path: string): Access {
  const normalized = normalizePath(path);
  const m = method.toUpperCase();
  for (const rule of rulesOf(service)) {
    if (methodMatches(rule.methods, m) && rule.path.test(normalized)) return rule.access;
  }
  return SERVICE;
}

export type Verdict = 'allow' | 'not-found' | 'sign-in' | 'wrong-role' | 'mfa-required';

/** Whether `caller` (undefined when anonymous or the token was bad) may pass. */
export function decide(access: Access, caller: Pick<Caller, 'roles' | 'mfa'> | undefined): Verdict {
  switch (access.kind) {
    case 'public':
    case 'service':
      return 'allow';
    case 'internal':
      return 'not-found';
    case 'signed-in':
      return caller ? 'allow' : 'sign-in';
    case 'staff':
      if (!caller) return 'sign-in';
      if (!caller.roles.some((r) => access.roles.includes(r))) return 'wrong-role';
      return access.mfa && !caller.mfa ? 'mfa-required' : 'allow';
  }
}
