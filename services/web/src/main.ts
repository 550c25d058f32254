import { createRuntime, createVerifier, loadConfig } from '@storefront/kit';
import { createApp } from './app.tsx';
import { webConfig } from './config.ts';

/** The only file that reads env and opens sockets. */
const config = loadConfig(webConfig);
const rt = await createRuntime({ service: 'web', config, needs: {} });

// Web reaches nothing but the gateway (its NetworkPolicy says so), so the keys come through it too.
const verifier = createVerifier({
  jwks: new URL('/api/identity/.well-known/jwks.json', config.UPSTREAM_GATEWAY_URL),
  issuer: config.JWT_ISSUER,
  audience: config.JWT_AUDIENCE,
});

const app = createApp({ config, verifier });
await rt.serve(app, { description: 'The server-rendered shop, account pages and admin console.' });
