import { Type } from '@sinclair/typebox';
import type { AdminApp } from './config-objects.js';

export interface HealthSource {
  /** Each component's readiness; the process is healthy when every one is. */
  check(): Record<string, { ok: boolean; detail?: string }>;
}

const ComponentSchema = Type.Object({ ok: Type.Boolean(), detail: Type.Optional(Type.String()) });

/** GET /healthz: public, so a supervisor's probe needs no credentials; it says nothing but readiness. */
export function registerHealthRoute(app: AdminApp, health: HealthSource): void {
  app.get(
    '/healthz',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Readiness of each component: 200 when all are ready, 503 when one is not',
        tags: ['Server'],
        response: {
          200: Type.Object({ status: Type.Literal('ok'), components: Type.Record(Type.String(), ComponentSchema) }),
          503: Type.Object({
            status: Type.Literal('unavailable'),
            components: Type.Record(Type.String(), ComponentSchema),
          }),
        },
      },
    },
    async (_request, reply) => {
      const components = health.check();
      const ok = Object.values(components).every((component) => component.ok);
      return ok
        ? reply.status(200).send({ status: 'ok' as const, components })
        : reply.status(503).send({ status: 'unavailable' as const, components });
    },
  );
}
