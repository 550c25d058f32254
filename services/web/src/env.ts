import type { Caller, KitVariables } from '@storefront/kit';
import type { ApiClient } from './api.ts';
import type { WebConfig } from './config.ts';

/** What a page handler finds in the context (besides the kit's request id and logger). */
export type WebEnv = {
  Variables: KitVariables & {
    /** The gateway's CSP nonce for this response (`x-csp-nonce`); stamp it on every inline script/style. */
    nonce: string;
    /** The signed-in account, verified against identity's keys; unset for a guest. */
    viewer: Caller | undefined;
    /** A session cookie was there but its access token has expired: the page refreshes it (see session.ts). */
    sessionExpired: boolean;
    /** The CSRF token every form on this page carries (the session's, or the guest's). */
    csrf: string;
    api: ApiClient;
    config: WebConfig;
  };
};
