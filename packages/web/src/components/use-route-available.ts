import { api } from '../api/client';
import { useLoad } from './use-load';

/**
 * Whether the server offers a route, read from its OpenAPI document: pages for features a server
 * may not have yet (the SIP trace, bulk import) say so instead of failing. Undefined while unknown.
 */
export function useRouteAvailable(path: string): boolean | undefined {
  const document = useLoad((signal) => api.get<{ paths: Record<string, unknown> }>('/api/v1/openapi.json', signal), []);
  if (document.state === 'failed') return false;
  return document.value === undefined ? undefined : path in document.value.paths;
}
