import { Type } from '@sinclair/typebox';
import { ErrorCode, StrowgerError } from '../../core/index.js';
import {
  SettingsSchema,
  parseConfigFile,
  settingsDocument,
  type ApplyResult,
  type ConfigSnapshot,
} from '../../store/index.js';
import { rolesOfGroups } from '../../cti/index.js';
import { actorOf } from '../auth/principal.js';
import type { ConfigService } from '../config/config-service.js';
import { checkIfMatch, entityTag } from '../config/etag.js';
import { registerAssociations } from './associations.js';
import { IfMatchHeaders, inRequestTerms, problemResponses, type AdminApp } from './config-objects.js';

/** Settings, device–line associations, access control groups, and the whole configuration as YAML. */
export function registerConfigExtraRoutes(
  app: AdminApp,
  config: ConfigService,
  exportYaml: () => Promise<string>,
): void {
  registerSettings(app, config);
  registerAssociations(app, config);
  registerGroups(app, config);
  registerConfigFile(app, config, exportYaml);
}

function registerSettings(app: AdminApp, config: ConfigService): void {
  const tags = ['Settings'];
  app.get(
    '/api/v1/settings',
    {
      schema: {
        summary: 'System-wide settings: SIP realm, voicemail pilot, conference number',
        tags,
        response: { 200: SettingsSchema, ...problemResponses },
      },
    },
    async (_request, reply) => {
      const settings = settingsDocument((await config.current()).settings);
      return reply.header('ETag', entityTag(settings)).send(settings);
    },
  );
  app.put(
    '/api/v1/settings',
    {
      schema: {
        summary: 'Change settings: fields given are set, fields left out are kept',
        tags,
        headers: IfMatchHeaders,
        body: SettingsSchema,
        response: { 200: SettingsSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const ifMatch = request.headers['if-match'];
      try {
        await config.apply(
          { settings: request.body },
          {
            source: 'the change',
            actor: actorOf(request.principal),
            precondition: (current) =>
              checkIfMatch(ifMatch, entityTag(settingsDocument(current.settings)), 'the settings'),
          },
        );
      } catch (error) {
        throw inRequestTerms(error, 'settings');
      }
      const settings = settingsDocument((await config.current()).settings);
      return reply.header('ETag', entityTag(settings)).send(settings);
    },
  );
}

const GroupSchema = Type.Object({
  name: Type.String(),
  builtIn: Type.Boolean(),
  description: Type.String(),
  roles: Type.Array(Type.String(), {
    description: 'The CTI roles the group grants (each standard group holds the role of its own name).',
  }),
  endUsers: Type.Array(Type.String(), { description: 'End users in the group.' }),
  applicationUsers: Type.Array(Type.String(), { description: 'Application users in the group.' }),
});

/** Access control groups (read-only: the standard CTI groups, each holding the role of its name). */
function registerGroups(app: AdminApp, config: ConfigService): void {
  const tags = ['Users'];
  const view = (snapshot: ConfigSnapshot, group: ConfigSnapshot['groups'][number]) => ({
    name: group.name,
    builtIn: group.builtIn,
    description: group.description,
    roles: [...rolesOfGroups([group.name])],
    endUsers: snapshot.endUsers.filter((u) => u.groups.includes(group.name)).map((u) => u.userId),
    applicationUsers: snapshot.applicationUsers.filter((u) => u.groups.includes(group.name)).map((u) => u.userId),
  });
  app.get(
    '/api/v1/access-control-groups',
    {
      schema: {
        summary: 'Access control groups with their members; users join one through their "groups"',
        tags,
        response: { 200: Type.Object({ items: Type.Array(GroupSchema) }), ...problemResponses },
      },
    },
    async () => {
      const snapshot = await config.current();
      return { items: snapshot.groups.map((group) => view(snapshot, group)) };
    },
  );
  app.get(
    '/api/v1/access-control-groups/:name',
    {
      schema: {
        summary: 'One access control group with its members',
        tags,
        params: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }),
        response: { 200: GroupSchema, ...problemResponses },
      },
    },
    async (request) => {
      const snapshot = await config.current();
      const group = snapshot.groups.find((candidate) => candidate.name === request.params.name);
      if (group === undefined) {
        throw new StrowgerError(
          ErrorCode.NotFound,
          `no access control group ${request.params.name}; GET /api/v1/access-control-groups lists them`,
        );
      }
      return view(snapshot, group);
    },
  );
}

const CountsSchema = Type.Object({
  created: Type.Integer(),
  updated: Type.Integer(),
  removed: Type.Integer(),
  unchanged: Type.Integer(),
});
const ApplyResultSchema = Type.Object({
  changed: Type.Boolean(),
  dryRun: Type.Boolean(),
  version: Type.Integer({ description: 'The configuration version now (or still, for a dry run).' }),
  devices: CountsSchema,
  lines: CountsSchema,
  voicemailProfiles: CountsSchema,
  lineGroups: CountsSchema,
  huntLists: CountsSchema,
  huntPilots: CountsSchema,
  endUsers: CountsSchema,
  applicationUsers: CountsSchema,
});

/** The configuration file over HTTP: what `strowger config export` and `config apply` use on a running server. */
function registerConfigFile(app: AdminApp, config: ConfigService, exportYaml: () => Promise<string>): void {
  const tags = ['Configuration file'];
  // YAML bodies arrive as text; the file's own parser checks them and reports line and column.
  const yamlTypes = ['application/yaml', 'application/x-yaml', 'text/yaml'];
  app.addContentTypeParser(yamlTypes, { parseAs: 'string', bodyLimit: 4 * 1024 * 1024 }, (_request, body, done) =>
    done(null, body),
  );
  app.get(
    '/api/v1/config',
    {
      // The export carries password hashes and SIP digests: full admins only.
      config: { access: 'write' },
      schema: {
        summary: 'The whole configuration as the YAML file (secrets as hashes); full admins only',
        tags,
        produces: ['application/yaml'],
        response: { 200: Type.String({ description: 'A YAML configuration file.' }), ...problemResponses },
      },
    },
    async (_request, reply) => reply.type('application/yaml; charset=utf-8').send(await exportYaml()),
  );
  app.post(
    '/api/v1/config/apply',
    {
      schema: {
        summary: 'Apply a YAML configuration file in one transaction, as "strowger config apply" does',
        tags,
        consumes: yamlTypes,
        querystring: Type.Object(
          {
            dryRun: Type.Optional(
              Type.Boolean({ description: 'Validate and count what would change; write nothing.' }),
            ),
            prune: Type.Optional(Type.Boolean({ description: 'Delete what the file does not mention.' })),
            source: Type.Optional(Type.String({ maxLength: 200, description: 'The file name, for messages.' })),
          },
          { additionalProperties: false },
        ),
        body: Type.String({ maxLength: 4 * 1024 * 1024, description: 'The YAML file.' }),
        response: { 200: ApplyResultSchema, ...problemResponses },
      },
    },
    async (request) => {
      const source = request.query.source ?? 'the file';
      const doc = parseConfigFile(request.body, source);
      const dryRun = request.query.dryRun === true;
      const result: ApplyResult = await config.apply(doc, {
        source,
        prune: request.query.prune === true,
        dryRun,
        actor: actorOf(request.principal),
      });
      return { ...result, dryRun };
    },
  );
}
