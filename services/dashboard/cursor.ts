/**
 * Opaque pagination cursors: base64url JSON that the API hands out and takes back. They are client-controlled, so
 * decoding validates every field and a bad cursor is a 400, never a DynamoDB error.
 */
import { z } from 'zod';

export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}

/** Where the next page of the ranked list starts: after the row (`count`, `signature`), ranked as of `asOf`. */
export const ListCursorSchema = z.object({
  asOf: z.iso.datetime(),
  count: z.number().int().positive(),
  signature: z.string().min(1).max(128),
});
export type ListCursor = z.infer<typeof ListCursorSchema>;

/** Where the next page of a signature's occurrences starts: after the occurrence with this sort key. */
export const OccurrenceCursorSchema = z.object({
  sk: z.string().regex(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z#[^#]{1,128}$/),
});
export type OccurrenceCursor = z.infer<typeof OccurrenceCursorSchema>;

export function encodeCursor(value: ListCursor | OccurrenceCursor): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  let json: unknown;
  try {
    if (cursor.length > 1024) throw new Error('too long');
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (cause) {
    throw new InvalidCursorError('The cursor is not one this API handed out', { cause });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new InvalidCursorError('The cursor is not one this API handed out');
  return parsed.data;
}
