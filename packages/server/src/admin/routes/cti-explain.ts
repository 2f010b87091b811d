import { Type } from '@sinclair/typebox';
import { ErrorCode, StrowgerError } from '../../core/index.js';
import { explainDevice, explainLine, explainUser, findCtiUser, type CtiConfiguration } from '../../cti/index.js';
import {
  AccessExplanationSchema,
  UserAccessReportSchema,
  accessExplanationFrom,
  userAccessReportFrom,
} from '../cti-explain-view.js';
import { problemResponses, type AdminApp } from './config-objects.js';

/** What the explainer reads: the configuration as the CTI layer indexes it, and live acquisitions. */
export interface CtiExplainSource {
  /** The current configuration snapshot, indexed. */
  configuration(): CtiConfiguration;
  /** Devices this user's open providers acquired by name (createTerminal); none when no provider is open. */
  acquired?(userId: string): ReadonlySet<string>;
}

const ExplainQuerySchema = Type.Object(
  {
    user: Type.String({ minLength: 1, maxLength: 64, description: 'The end user or application user id.' }),
    kind: Type.Optional(
      Type.Union([Type.Literal('end-user'), Type.Literal('application-user')], {
        description: 'Which user, when an end user and an application user share the id.',
      }),
    ),
    device: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: 'A device (terminal) name.' })),
    line: Type.Optional(
      Type.String({ minLength: 1, maxLength: 32, description: 'A directory number; with device, that appearance.' }),
    ),
    acquired: Type.Optional(
      Type.String({
        maxLength: 10_000,
        description:
          'Comma-separated device names to treat as acquired by name (createTerminal), as a superprovider would: "what if it acquired these?".',
      }),
    ),
  },
  { additionalProperties: false },
);

const explainRouteSchema = {
  summary: 'Explain CTI access: one user and one device or line, or one user in full',
  tags: ['CTI'],
  querystring: ExplainQuerySchema,
  response: { 200: Type.Union([AccessExplanationSchema, UserAccessReportSchema]), ...problemResponses },
};

/**
 * `GET /api/v1/cti/explain`: the access explainer. With `device` and/or `line`, may the user observe
 * and control it, and every rule that decided; with the user alone, which of its CTI settings are
 * needed and which could go.
 */
export function registerCtiExplainRoute(app: AdminApp, source: CtiExplainSource): void {
  app.get('/api/v1/cti/explain', { schema: explainRouteSchema }, async (request) => {
    const query = request.query;
    const configuration = source.configuration();
    const user = findCtiUser(configuration, query.user, query.kind);
    const acquired = new Set([...(source.acquired?.(user.userId) ?? []), ...parseNames(query.acquired)]);
    for (const name of acquired) {
      if (!configuration.devices.has(name)) {
        throw new StrowgerError(
          ErrorCode.NotFound,
          `acquired names a device that does not exist: ${name}; GET /api/v1/devices lists the configured devices`,
        );
      }
    }
    if (query.device !== undefined) {
      const target = { device: query.device, ...(query.line === undefined ? {} : { line: query.line }) };
      return accessExplanationFrom(user, explainDevice(configuration, user, target, acquired), target);
    }
    if (query.line !== undefined) {
      const explained = explainLine(configuration, user, query.line, acquired);
      return accessExplanationFrom(user, explained.verdict, { line: query.line }, explained.appearances);
    }
    return userAccessReportFrom(explainUser(configuration, user, acquired));
  });
}

function parseNames(list: string | undefined): string[] {
  if (list === undefined) return [];
  return list
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}
