import { ApiError, problemOf } from './problem';

/**
 * The one way the UI talks to the server: same-origin fetch with the session cookie, the CSRF token
 * on every change (the server refuses a cookie-authenticated change without it), and problem+json
 * errors thrown as ApiError. A 401 tells the app shell to show the sign-in page again.
 */
class ApiClient {
  #csrfToken: string | undefined;
  #onSignedOut: (() => void) | undefined;

  set csrfToken(token: string | undefined) {
    this.#csrfToken = token;
  }

  /** Called when a request comes back 401: the session ended (timed out, signed out elsewhere, restart). */
  onSignedOut(listener: () => void): void {
    this.#onSignedOut = listener;
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = {
      // The server then answers 401 without WWW-Authenticate, so the browser shows no password dialog.
      'x-requested-with': 'strowger-web',
      accept: 'application/json, application/problem+json',
      ...options.headers,
    };
    if (method !== 'GET' && method !== 'HEAD' && this.#csrfToken !== undefined) {
      headers['x-csrf-token'] = this.#csrfToken;
    }
    let body: BodyInit | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.text !== undefined) {
      headers['content-type'] = options.contentType ?? 'text/plain';
      body = options.text;
    }
    const response = await fetch(path, { method, headers, body, credentials: 'same-origin', signal: options.signal });
    if (!response.ok) {
      const problem = await problemOf(response);
      if (response.status === 401 && !path.endsWith('/auth/login')) this.#onSignedOut?.();
      throw new ApiError(problem);
    }
    return response;
  }

  async get<T>(path: string, signal?: AbortSignal): Promise<T> {
    return (await this.request('GET', path, signal === undefined ? {} : { signal })).json() as Promise<T>;
  }

  /** Reads an object with its ETag, which a later change sends back in If-Match. */
  async getVersioned<T>(path: string): Promise<{ value: T; etag: string | undefined }> {
    const response = await this.request('GET', path);
    return { value: (await response.json()) as T, etag: response.headers.get('etag') ?? undefined };
  }

  async send<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, json?: unknown, etag?: string): Promise<T> {
    const response = await this.request(method, path, {
      ...(json === undefined ? {} : { json }),
      headers: etag === undefined ? {} : { 'if-match': etag },
    });
    if (response.status === 204) return undefined as T;
    return response.json() as Promise<T>;
  }
}

export interface RequestOptions {
  json?: unknown;
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export const api = new ApiClient();

/** Builds `path?name=value&…`, leaving out empty values. */
export function withQuery(path: string, query: Record<string, string | number | boolean | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(name, String(value));
  }
  const text = params.toString();
  return text === '' ? path : `${path}?${text}`;
}
