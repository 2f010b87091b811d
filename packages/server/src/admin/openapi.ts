import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

export const openApiPath = '/api/v1/openapi.json';
export const referencePath = '/api/v1/docs';

/**
 * The OpenAPI 3.1 document is generated from the schemas the routes validate with (no hand-written
 * copy can drift), and served with a browsable reference page whose files come from the package
 * itself, so it works without internet access.
 */
export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Strowger admin API',
        version,
        description:
          'Configuration (devices, lines, users, hunting, voicemail, settings), live views (registrations, calls, CTI), call records, admin accounts and the audit log. Errors are RFC 9457 problem+json with a stable `code` (docs/errors.md). See docs/admin-api.md.',
      },
      components: {
        securitySchemes: {
          basic: { type: 'http', scheme: 'basic', description: 'An admin account: curl -u admin:PASSWORD' },
          bearer: { type: 'http', scheme: 'bearer', description: 'An API token from POST /api/v1/auth/tokens' },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'strowger_session',
            description: 'Set by POST /api/v1/auth/login; changes also need the X-CSRF-Token header',
          },
        },
      },
      security: [{ basic: [] }, { bearer: [] }, { session: [] }],
    },
    transform: ({ schema, url, route }) => {
      // Routes anyone may call say so, and need no credentials in the reference page either.
      const access = route.config?.access;
      if (access === 'public') return { schema: { ...schema, security: [] }, url };
      return { schema, url };
    },
  });
  await app.register(swaggerUi, {
    routePrefix: referencePath,
    uiConfig: { docExpansion: 'list', deepLinking: true, tryItOutEnabled: true },
    staticCSP: true,
  });
  app.get(openApiPath, { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
}
