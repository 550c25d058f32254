import { createHmac } from 'node:crypto';

/**
 * Gateway ⇄ web: the shopper's address, as the gateway saw it when it forwarded a page to web, and
 * the proof web sends back with it on its API calls. The gateway drops both when a client sends them.
 */
export const CLIENT_IP_HEADER = 'x-sf-client-ip';
export const EDGE_TOKEN_HEADER = 'x-sf-edge-token';

/** An HMAC of the installation's service token, so the token itself never travels in a header. */
export function edgeToken(serviceToken: string): string {
  return createHmac('sha256', serviceToken).update('storefront web edge v1').digest('base64url');
}
