import { Type, type TSchema } from '@sinclair/typebox';

/** What every list accepts: a text search, a sort, and a page. */
export interface ListQuery {
  q?: string | undefined;
  sort?: string | undefined;
  offset?: number | undefined;
  limit?: number | undefined;
}

export interface ListPage<T> {
  items: T[];
  total: number;
  offset: number;
  limit: number;
}

export const defaultLimit = 100;
export const maxLimit = 1000;

/** The query properties of every list; `sortFields` are the fields it may be sorted by. */
export function listQueryProperties<F extends string>(sortFields: readonly [F, ...F[]]) {
  const sorts = sortFields.flatMap((field) => [field, `-${field}`]);
  return {
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: 'Only objects whose key, description or name contains this text (case-insensitive).',
      }),
    ),
    sort: Type.Optional(
      Type.Union(
        sorts.map((sort) => Type.Literal(sort)),
        { description: `Sort by this field; a leading "-" sorts descending. Default: ${sortFields[0]}.` },
      ),
    ),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'Skip this many (default 0).' })),
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: maxLimit, description: `At most this many (default ${defaultLimit}).` }),
    ),
  };
}

/** The answer of every list: one page of items and how many match in all. */
export function listPageSchema<T extends TSchema>(item: T, description: string) {
  return Type.Object(
    {
      items: Type.Array(item),
      total: Type.Integer({ minimum: 0, description: 'How many match, over all pages.' }),
      offset: Type.Integer({ minimum: 0 }),
      limit: Type.Integer({ minimum: 1 }),
    },
    { description },
  );
}

/**
 * Filters by the text search, sorts (stably, by the key after the chosen field) and cuts one page.
 * `text` gives what `q` searches; `fields` what each sort field compares.
 */
export function pageOf<T>(
  items: readonly T[],
  query: ListQuery,
  options: { text: (item: T) => string; fields: Record<string, (item: T) => string | number> },
): ListPage<T> {
  const needle = query.q?.toLowerCase();
  const matching =
    needle === undefined ? [...items] : items.filter((item) => options.text(item).toLowerCase().includes(needle));
  const sort = query.sort ?? Object.keys(options.fields)[0] ?? '';
  const descending = sort.startsWith('-');
  const field = options.fields[descending ? sort.slice(1) : sort];
  if (field !== undefined) {
    matching.sort((a, b) => {
      const x = field(a);
      const y = field(b);
      const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'en');
      return descending ? -order : order;
    });
  }
  const offset = query.offset ?? 0;
  const limit = query.limit ?? defaultLimit;
  return { items: matching.slice(offset, offset + limit), total: matching.length, offset, limit };
}
