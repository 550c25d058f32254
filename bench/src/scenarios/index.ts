import type { Scenario } from '../types.ts';
import { baseline } from './baseline.ts';
import { cartAdd, cartRead } from './cart-scenarios.ts';
import {
  catalogCategoryListing,
  catalogCategoryListingUncached,
  catalogSearchFacets,
  catalogSearchFacetsUncached,
} from './catalog-scenarios.ts';
import { checkoutMax, checkoutSteady } from './checkout-scenarios.ts';
import { gatewayAuthAnonymous, gatewayAuthToken } from './gateway-auth.ts';
import { gatewayCachedProduct, gatewayProxiedProduct } from './gateway-cached-product.ts';
import { identityLogin } from './identity-login.ts';
import { inventoryReserveHot, inventoryReserveSpread } from './inventory-reserve.ts';
import { kitOverhead } from './kit-overhead.ts';
import { webRender } from './web-render.ts';

/** Run in this order; the baseline first, as every ratio is taken against it. Add new scenarios here. */
export const scenarios: readonly Scenario[] = [
  baseline,
  kitOverhead,
  gatewayCachedProduct,
  gatewayProxiedProduct,
  gatewayAuthAnonymous,
  gatewayAuthToken,
  catalogCategoryListing,
  catalogCategoryListingUncached,
  catalogSearchFacets,
  catalogSearchFacetsUncached,
  identityLogin,
  inventoryReserveHot,
  inventoryReserveSpread,
  cartRead,
  cartAdd,
  checkoutSteady,
  checkoutMax,
  ...webRender,
];
