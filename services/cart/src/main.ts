import { createRuntime, loadConfig, startRetention } from '@storefront/kit';
import { cartConfig, upstreamsOf } from './config.ts';
import { CART_NEEDS, wireCart } from './wiring.ts';

/** The only file that reads env and opens sockets. */
const config = loadConfig(cartConfig);
const urls = upstreamsOf(config, Boolean(process.env.JWKS_URL));

const rt = await createRuntime({ service: 'cart', config, needs: CART_NEEDS });
// Redis is only a read cache here: without it carts are read from Postgres, so it must not take
// every replica out of the load balancer.
delete rt.readiness.redis;
startRetention(rt, config, [{ table: 'cancelled_orders', column: 'cancelled_at', policy: 'inbox' }]);

rt.log.info({ upstreams: urls }, 'cart upstreams');
await rt.serve(wireCart(rt, config, urls), {
  description: 'Guest and customer carts, merge on sign-in, promotions, shipping, tax and totals.',
});
