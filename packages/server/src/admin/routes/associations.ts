import { Type, type TString } from '@sinclair/typebox';
import { ErrorCode, StrowgerError } from '../../core/index.js';
import {
  DeviceName,
  DirectoryNumber,
  UserId,
  applicationUserDocument,
  deviceDocument,
  endUserDocument,
  type ConfigDocument,
  type ConfigSnapshot,
} from '../../store/index.js';
import { actorOf } from '../auth/principal.js';
import type { ConfigService } from '../config/config-service.js';
import { checkIfMatch, entityTag } from '../config/etag.js';
import { IfMatchHeaders, inRequestTerms, problemResponses, type AdminApp } from './config-objects.js';

/**
 * One list inside an object, served on its own so a page can change it without sending the whole
 * object: a device's lines (its line buttons, in order), a user's controlled devices, a user's
 * access control groups — CUCM's "Device Information" and "Permissions Information".
 */
interface Association {
  /** The object's path under /api/v1, e.g. `end-users`, and its key parameter. */
  segment: string;
  param: string;
  paramSchema: TString;
  noun: string;
  /** The list's field, which is also its path segment: `lines`, `devices`, `groups`. */
  field: string;
  item: TString;
  description: string;
  /** The document's key for the object's kind, to name problems in the request's terms. */
  kind: keyof ConfigDocument;
  tag: string;
  /** The object's document (as the file holds it) with `list` in place of the field, and its tag. */
  read(
    snapshot: ConfigSnapshot,
    key: string,
  ): { list: string[]; etag: string; withList(list: string[]): ConfigDocument } | undefined;
}

const GroupName = Type.String({ minLength: 1, maxLength: 100 });

const associations: Association[] = [
  {
    segment: 'devices',
    param: 'name',
    paramSchema: DeviceName,
    noun: 'device',
    field: 'lines',
    item: DirectoryNumber,
    description: "A device's lines in button order (each a configured line; a CTI port has exactly one)",
    kind: 'devices',
    tag: 'Devices',
    read: (snapshot, key) => {
      const found = snapshot.devices.find((device) => device.name === key);
      if (found === undefined) return undefined;
      const document = deviceDocument(found, { secrets: false });
      return {
        list: found.lines,
        etag: entityTag(deviceDocument(found, { secrets: true })),
        withList: (lines) => ({ devices: [{ ...document, lines }] }),
      };
    },
  },
  ...(['end-users', 'application-users'] as const).flatMap((segment): Association[] => {
    const noun = segment === 'end-users' ? 'end user' : 'application user';
    const find = (snapshot: ConfigSnapshot, key: string) => {
      if (segment === 'end-users') {
        const user = snapshot.endUsers.find((candidate) => candidate.userId === key);
        return user === undefined
          ? undefined
          : {
              user,
              etag: entityTag(endUserDocument(user, { secrets: true })),
              document: (change: { devices?: string[]; groups?: string[] }): ConfigDocument => ({
                endUsers: [{ ...endUserDocument(user, { secrets: false }), ...change }],
              }),
            };
      }
      const user = snapshot.applicationUsers.find((candidate) => candidate.userId === key);
      return user === undefined
        ? undefined
        : {
            user,
            etag: entityTag(applicationUserDocument(user, { secrets: true })),
            document: (change: { devices?: string[]; groups?: string[] }): ConfigDocument => ({
              applicationUsers: [{ ...applicationUserDocument(user, { secrets: false }), ...change }],
            }),
          };
    };
    const common = { segment, param: 'userId', paramSchema: UserId, noun, tag: 'Users' } as const;
    return [
      {
        ...common,
        field: 'devices',
        item: DeviceName,
        description: `The devices this ${noun} controls ("Controlled Devices")`,
        kind: segment === 'end-users' ? 'endUsers' : 'applicationUsers',
        read: (snapshot, key) => {
          const found = find(snapshot, key);
          return found === undefined
            ? undefined
            : { list: found.user.devices, etag: found.etag, withList: (devices) => found.document({ devices }) };
        },
      },
      {
        ...common,
        field: 'groups',
        item: GroupName,
        description: `The access control groups this ${noun} is in ("Permissions Information")`,
        kind: segment === 'end-users' ? 'endUsers' : 'applicationUsers',
        read: (snapshot, key) => {
          const found = find(snapshot, key);
          return found === undefined
            ? undefined
            : { list: found.user.groups, etag: found.etag, withList: (groups) => found.document({ groups }) };
        },
      },
    ];
  }),
];

export function registerAssociations(app: AdminApp, config: ConfigService): void {
  for (const association of associations) registerAssociation(app, config, association);
}

function registerAssociation(app: AdminApp, config: ConfigService, association: Association): void {
  const { segment, param, field, noun } = association;
  const path = `/api/v1/${segment}/:${param}/${field}`;
  const params = Type.Object({ [param]: association.paramSchema });
  const listSchema = Type.Object({ [field]: Type.Array(association.item) }, { additionalProperties: false });
  const read = (snapshot: ConfigSnapshot, key: string) => {
    const found = association.read(snapshot, key);
    if (found === undefined) {
      throw new StrowgerError(ErrorCode.NotFound, `no ${noun} ${key}; GET /api/v1/${segment} lists them`);
    }
    return found;
  };
  const keyOf = (values: Record<string, string>) => values[param] ?? '';

  app.get(
    path,
    {
      schema: {
        summary: association.description,
        description: `The ETag is the ${noun}'s.`,
        tags: [association.tag],
        params,
        response: { 200: listSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const found = read(await config.current(), keyOf(request.params));
      return reply.header('ETag', found.etag).send({ [field]: found.list });
    },
  );

  app.put(
    path,
    {
      schema: {
        summary: `Set: ${association.description.charAt(0).toLowerCase()}${association.description.slice(1)}`,
        tags: [association.tag],
        params,
        headers: IfMatchHeaders,
        body: listSchema,
        response: { 200: listSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const key = keyOf(request.params);
      const list = request.body[field] ?? [];
      const ifMatch = request.headers['if-match'];
      const before = read(await config.current(), key);
      checkIfMatch(ifMatch, before.etag, `${noun} ${key}`);
      try {
        // The object is rewritten whole from what was read above, so it must still be that inside the
        // transaction, If-Match or not: a concurrent change to its other fields is never undone.
        await config.apply(before.withList(list), {
          source: 'the change',
          actor: actorOf(request.principal),
          precondition: (snapshot) => checkIfMatch(before.etag, read(snapshot, key).etag, `${noun} ${key}`),
        });
      } catch (error) {
        throw inRequestTerms(error, association.kind);
      }
      const after = read(await config.current(), key);
      return reply.header('ETag', after.etag).send({ [field]: after.list });
    },
  );
}
