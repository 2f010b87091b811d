import { api, withQuery } from '../api/client';
import type { Page } from '../api/types';
import { useLoad } from './use-load';

/** Choices for a picker: up to 1000 objects of a collection, as `{ value, label }`. */
export function useOptions<T>(
  collection: string,
  toOption: (item: T) => { value: string; label: string },
  query: Record<string, string | undefined> = {},
) {
  const loaded = useLoad(
    (signal) => api.get<Page<T>>(withQuery(`/api/v1/${collection}`, { ...query, limit: 1000 }), signal),
    [collection, JSON.stringify(query)],
  );
  return (loaded.value?.items ?? []).map(toOption);
}
