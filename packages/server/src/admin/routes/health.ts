import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';

export interface HealthSource {
  /** Each component's readiness; the process is healthy when every one is. */
  check(): Record<string, { ok: boolean; detail?: string }>;
}

const ComponentSchema = Type.Object({ ok: Type.Boolean(), detail: Type.Optional(Type.String()) });

export function registerHealthRoute(app: FastifyInstance, health: HealthSource): void {
  app.get(
    '/healthz',
    {
      schema: {
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
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', components });
    },
  );
}
