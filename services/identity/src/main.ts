import { createRuntime, loadConfig, startRetention } from '@storefront/kit';
import { createApp } from './app.ts';
import { identityConfig } from './config.ts';
import { subscribeAuditEvents } from './events.ts';
import { bootstrapAdmin } from './staff.ts';

const config = loadConfig(identityConfig);
const rt = await createRuntime({
  service: 'identity',
  config,
  needs: { database: { migrations: new URL('../migrations', import.meta.url) }, redis: true, messaging: true },
});

const { app, identity } = createApp({
  db: rt.db,
  redis: rt.redis,
  outbox: rt.bus.outbox,
  log: rt.log,
  clock: rt.clock,
  newId: rt.newId,
  config,
});
if (!identity.sealer.encrypting)
  rt.log.warn('DATA_ENCRYPTION_KEY is not set: signing keys and TOTP secrets are stored in clear');
if (config.LOG_TOKENS_FOR_DEV) rt.log.warn('LOG_TOKENS_FOR_DEV is on: verification and reset links are logged');
await identity.keys.ensure();
await bootstrapAdmin(identity, config.BOOTSTRAP_ADMIN_EMAIL, config.BOOTSTRAP_ADMIN_PASSWORD);
subscribeAuditEvents(rt.bus);
startRetention(rt, config);

await rt.serve(app, {
  description: 'Customers and staff: sign-up, sign-in with MFA for staff, sessions, JWKS, and the audit log.',
});
