import type { FastifyInstance } from 'fastify';

/**
 * Which methods each route answers, so a request with the wrong method gets 405 and an `Allow`
 * header (RFC 9110 §15.5.6) rather than 404. Fastify's router answers only the method's own tree, so
 * the routes are recorded as they are added and matched here by their pattern.
 */
export class RouteMethods {
  readonly #routes: Array<{ pattern: RegExp; methods: Set<string> }> = [];

  /** Records every route added to `app` from now on. */
  watch(app: FastifyInstance): void {
    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      const pattern = patternOf(route.url);
      let entry = this.#routes.find((known) => known.pattern.source === pattern.source);
      if (entry === undefined) {
        entry = { pattern, methods: new Set() };
        this.#routes.push(entry);
      }
      for (const method of methods) entry.methods.add(method.toUpperCase());
    });
  }

  /** The methods some route answers at this path (query string ignored); empty when no route matches. */
  allowed(url: string): string[] {
    const path = url.split('?', 1)[0] ?? '';
    const methods = new Set<string>();
    for (const route of this.#routes) {
      if (route.pattern.test(path)) for (const method of route.methods) methods.add(method);
    }
    return [...methods].sort();
  }
}

/** A fastify route pattern as a regular expression: `:name` is one segment, `*` the rest. */
function patternOf(url: string): RegExp {
  const source = url
    .split('/')
    .map((segment) =>
      segment === '*' ? '.*' : segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return new RegExp(`^${source}/?$`);
}
