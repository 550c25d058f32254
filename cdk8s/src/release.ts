/** Which image a Storefront runs, and the revision id that names its migration Job. */
import { createHash } from 'node:crypto';

export interface Release {
  /** Full image reference the pods run. */
  readonly image: string;
  readonly version: string;
  /** Hash of image and version. A new revision means a new migration Job (a Job's pod template is immutable). */
  readonly revision: string;
}

/** True when the reference already pins a tag or digest (`repo:tag`, `repo@sha256:...`). */
export function hasTagOrDigest(image: string): boolean {
  if (image.includes('@')) return true;
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  return lastSegment.includes(':');
}

export function releaseOf(spec: { image: string; version: string }): Release {
  const image = hasTagOrDigest(spec.image) ? spec.image : `${spec.image}:${spec.version}`;
  const revision = createHash('sha256').update(`${image}\n${spec.version}`).digest('hex').slice(0, 10);
  return { image, version: spec.version, revision };
}
