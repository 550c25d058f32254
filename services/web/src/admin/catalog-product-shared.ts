import { z } from 'zod';
import {
  type Brand,
  type CategoryNode,
  type ProductStatus,
  STATUSES,
  type Status,
  slugSchema,
  treeOptions,
} from './catalog-lib.ts';

/** Shared by the product pages: option lists, field schemas, the edit page's failed-form state. */

export const IMAGE_ROWS = 3;
export const PRICE_ROWS = 2;
export const STATUS_LABEL: Record<ProductStatus, string> = {
  draft: 'Draft',
  published: 'Published',
  archived: 'Archived',
};
export const statusOptions = STATUSES.map((s) => ({ value: s, label: STATUS_LABEL[s] }));

export const categoryOptions = (tree: readonly CategoryNode[]) => treeOptions(tree, '— none —');
export const brandOptions = (brands: readonly Brand[]) => [
  { value: '', label: '— none —' },
  ...brands.map((b) => ({ value: b.id, label: b.name })),
];

export const optionalUuid = z.union([z.literal(''), z.uuid('Choose from the list')]);
export const slugText = slugSchema('blue-widget');
export const skuText = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'Letters, digits, dot, dash or underscore; at most 64');
export const imageUrl = z
  .string()
  .trim()
  .max(8192)
  .regex(/^(https?:\/\/\S+|data:image\/[a-z+.-]+[;,]\S*)?$/, 'An http(s) address of an image');
export const altText = z.string().trim().max(200, 'At most 200 characters');

/** Which form on the edit page failed, what was typed and what the API or the schema said. */
export interface EditState {
  readonly form: string;
  readonly raw: Record<string, string>;
  readonly errors: Record<string, string>;
  readonly status: Status;
}
