import { z } from 'zod';

/** Hard cap on one page of any API list. */
export const MAX_PAGE = 500;
/** Deepest offset a list accepts: stores without offsets are read up to offset + limit + 1. */
export const MAX_OFFSET = 10_000;

/**
 * `limit` and `offset` of a list route. Out of range → 400 BAD_REQUEST naming
 * `querystring.limit` / `querystring.offset` (the error handler turns zod issues into that).
 */
export function pageQuery(def = 100, max = MAX_PAGE) {
  return z.object({
    limit: z.coerce
      .number()
      .int()
      .min(1, 'limit must be 1 or more')
      .max(max, `limit must be at most ${max}`)
      .default(def)
      .describe(`page size, 1 to ${max} (default ${def})`),
    offset: z.coerce
      .number()
      .int()
      .min(0, 'offset must be 0 or more')
      .max(MAX_OFFSET, `offset must be at most ${MAX_OFFSET}`)
      .default(0)
      .describe('items to skip: the nextOffset of the previous page'),
  });
}

/** Fields every paged list answer carries beside its items (added, so readers of the items are unchanged). */
export const PageFields = {
  hasMore: z.boolean().describe('true when another page follows'),
  nextOffset: z.number().int().nullable().describe('offset of the next page; null on the last'),
};

export interface Page {
  limit: number;
  offset: number;
}

/** One page of a list held whole (already filtered by what the user may see). */
export function pageOf<T>(all: readonly T[], p: Page): { items: T[]; hasMore: boolean; nextOffset: number | null } {
  const items = all.slice(p.offset, p.offset + p.limit);
  const hasMore = all.length > p.offset + p.limit;
  return { items, hasMore, nextOffset: hasMore ? p.offset + p.limit : null };
}

/** How many to read from a store that has no offset (newest first): enough to tell whether more follow. */
export const readUpTo = (p: Page): number => p.offset + p.limit + 1;
