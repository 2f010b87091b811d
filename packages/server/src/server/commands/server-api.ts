import { Option } from 'commander';
import { ErrorCode, StrowgerError } from '../../core/index.js';

/** `--url` of the running server, shared by the commands that ask it rather than the store. */
export function serverUrlOption(): Option {
  return new Option('--url <url>', 'HTTP address of the running server')
    .env('STROWGER_URL')
    .default(`http://127.0.0.1:${process.env.STROWGER_HTTP_PORT ?? '8080'}`);
}

/** GETs a JSON document from the running server's API; the errors say how to reach a server. */
export async function getFromServer<T>(
  baseUrl: string,
  path: string,
  query: Record<string, string | undefined> = {},
): Promise<T> {
  const url = new URL(path, baseUrl);
  for (const [name, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(name, value);
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  } catch (error) {
    throw new StrowgerError(
      ErrorCode.ResourceUnavailable,
      `no Strowger server answered at ${baseUrl}; start one with "strowger start", or pass --url with the address it printed`,
      { cause: error },
    );
  }
  if (!response.ok) {
    // A problem+json answer carries a stable code and a sentence that says what to do: pass both on.
    const problem = await problemOf(response);
    if (problem !== undefined) throw new StrowgerError(problem.code, problem.detail);
    throw new StrowgerError(
      ErrorCode.ResourceUnavailable,
      `the server at ${baseUrl} answered ${response.status} to ${url.pathname}`,
    );
  }
  return (await response.json()) as T;
}

async function problemOf(response: Response): Promise<{ code: ErrorCode; detail: string } | undefined> {
  if (!(response.headers.get('content-type') ?? '').includes('application/problem+json')) return undefined;
  try {
    const body = (await response.json()) as { code?: unknown; detail?: unknown };
    const codes: readonly string[] = Object.values(ErrorCode);
    if (typeof body.code !== 'string' || !codes.includes(body.code) || typeof body.detail !== 'string')
      return undefined;
    return { code: body.code as ErrorCode, detail: body.detail };
  } catch {
    return undefined;
  }
}

/** POSTs a JSON body to the running server's API and returns its JSON answer; errors as `getFromServer`'s. */
export async function postToServer<T>(baseUrl: string, path: string, body: unknown): Promise<T> {
  const url = new URL(path, baseUrl);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
  } catch (error) {
    throw new StrowgerError(
      ErrorCode.ResourceUnavailable,
      `no Strowger server answered at ${baseUrl}; start one with "strowger start", or pass --url with the address it printed`,
      { cause: error },
    );
  }
  if (!response.ok) {
    const problem = await problemOf(response);
    if (problem !== undefined) throw new StrowgerError(problem.code, problem.detail);
    throw new StrowgerError(
      ErrorCode.ResourceUnavailable,
      `the server at ${baseUrl} answered ${response.status} to ${url.pathname}`,
    );
  }
  return (await response.json()) as T;
}
