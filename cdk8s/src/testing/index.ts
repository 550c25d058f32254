export { type Endpoint, mayConnect } from './reachability.ts';
export { validateManifest, validateManifests } from './validate.ts';
