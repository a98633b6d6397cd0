/** Validates the list's query parameters (shared by the page and the JSON API); bad input is a 400. */
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { CategorySchema } from '../../shared/contract/analysis';
import type { ListSignaturesQuery } from './list-signatures';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 100;

/** Empty form fields mean "no filter". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const ListParamsSchema = z.object({
  window: optional(z.enum(['24h', '7d', '30d'])).transform((window) => window ?? '7d'),
  repo: optional(
    z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'repo must be owner/name'),
  ),
  category: optional(CategorySchema),
  branch: optional(z.enum(['main', 'pr', 'branch'])),
  q: optional(z.string().max(200)),
  limit: optional(z.coerce.number().int().min(1).max(MAX_LIMIT)).transform((limit) => limit ?? DEFAULT_LIMIT),
  cursor: optional(z.string().max(1024)),
});

export function parseListQuery(params: Record<string, string>): ListSignaturesQuery {
  const parsed = ListParamsSchema.safeParse(params);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw new HTTPException(400, { message: `Invalid query: ${problems}` });
  }
  const { q, ...rest } = parsed.data;
  return Object.fromEntries(
    Object.entries({ ...rest, text: q?.trim() || undefined }).filter(([, value]) => value !== undefined),
  ) as unknown as ListSignaturesQuery;
}
