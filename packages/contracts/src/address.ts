import { z } from 'zod';

/** A postal address as every service stores and shows it. Country is ISO 3166-1 alpha-2. */
export const Address = z.object({
  name: z.string().min(1).max(200),
  line1: z.string().min(1).max(200),
  line2: z.string().max(200).optional(),
  city: z.string().min(1).max(100),
  region: z.string().max(100).optional().describe('state, province or county; its code where one exists (CA, NY)'),
  postalCode: z.string().min(1).max(20),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 country code such as US')
    .describe('ISO 3166-1 alpha-2'),
  phone: z.string().max(40).optional(),
});
export type Address = z.infer<typeof Address>;
