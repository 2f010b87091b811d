import { CloneType, Type, type Static, type TObject } from '@sinclair/typebox';
import {
  ApplicationUserSchema,
  DeviceName,
  DeviceProfileSchema,
  DeviceSchema,
  DirectoryNumber,
  EndUserSchema,
  HuntListSchema,
  HuntPilotSchema,
  LineGroupSchema,
  LineSchema,
  ObjectName,
  ProfileName,
  UserId,
  VoicemailProfileSchema,
  applicationUserDocument,
  deviceDocument,
  deviceProfileDocument,
  endUserDocument,
  huntListDocument,
  huntPilotDocument,
  lineDocument,
  lineGroupDocument,
  voicemailProfileDocument,
  type ConfigDocument,
  type ConfigKind,
  type ConfigSnapshot,
  type DocumentOptions,
} from '../../store/index.js';
import { listQueryProperties, pageOf, type ListPage } from './listing.js';

/**
 * One kind of configuration object as the REST API serves it: its schema (the configuration file's,
 * so the API, the YAML file and the web UI agree), its key in the path, its list filters, and how it
 * goes into a configuration document to be applied.
 */
export interface ConfigCollection<S extends TObject, P extends TObject, Q extends TObject, C> {
  kind: ConfigKind;
  /** The path segment under /api/v1, e.g. `hunt-pilots`. */
  segment: string;
  /** What one is called in sentences and in the OpenAPI tags, e.g. `hunt pilot`. */
  noun: string;
  tag: string;
  /** The key field's name, e.g. `pattern`; the path parameter has the same name. */
  keyName: string;
  schema: S;
  params: P;
  query: Q;
  keyOfParams(params: Static<P>): string;
  keyOfDocument(document: Static<S>): string;
  items(snapshot: ConfigSnapshot): readonly C[];
  keyOf(item: C): string;
  document(item: C, options: DocumentOptions): Static<S>;
  select(documents: Array<Static<S>>, query: Static<Q>): ListPage<Static<S>>;
  /** The one object as a configuration document to apply. */
  asDocument(document: Static<S>): ConfigDocument;
}

const defineCollection = <S extends TObject, P extends TObject, Q extends TObject, C>(
  collection: ConfigCollection<S, P, Q, C>,
): ConfigCollection<S, P, Q, C> => collection;

const strict = { additionalProperties: false } as const;
const has = (list: readonly string[] | undefined, value: string | undefined) =>
  value === undefined || (list ?? []).includes(value);
const same = <T>(actual: T | undefined, wanted: T | undefined) => wanted === undefined || actual === wanted;

export const devices = defineCollection({
  kind: 'devices',
  segment: 'devices',
  noun: 'device',
  tag: 'Devices',
  keyName: 'name',
  schema: DeviceSchema,
  params: Type.Object({ name: DeviceName }),
  query: Type.Object(
    {
      ...listQueryProperties(['name', 'type']),
      type: Type.Optional(
        Type.Union([Type.Literal('sip-phone'), Type.Literal('cti-route-point'), Type.Literal('cti-port')]),
      ),
      line: Type.Optional(CloneType(DirectoryNumber, { description: 'Only devices with this line.' })),
      allowCtiControl: Type.Optional(Type.Boolean()),
    },
    strict,
  ),
  keyOfParams: (params) => params.name,
  keyOfDocument: (document) => document.name,
  items: (snapshot) => snapshot.devices,
  keyOf: (device) => device.name,
  document: deviceDocument,
  select: (documents, query) =>
    pageOf(
      documents.filter(
        (d) =>
          same(d.type, query.type) &&
          has(d.lines, query.line) &&
          same(d.allowCtiControl ?? true, query.allowCtiControl),
      ),
      query,
      { text: (d) => `${d.name} ${d.description ?? ''}`, fields: { name: (d) => d.name, type: (d) => d.type } },
    ),
  asDocument: (document) => ({ devices: [document] }),
});

export const lines = defineCollection({
  kind: 'lines',
  segment: 'lines',
  noun: 'line',
  tag: 'Lines (directory numbers)',
  keyName: 'dn',
  schema: LineSchema,
  params: Type.Object({ dn: DirectoryNumber }),
  query: Type.Object(
    {
      ...listQueryProperties(['dn', 'description']),
      voicemailProfile: Type.Optional(ObjectName),
      allowCtiControl: Type.Optional(Type.Boolean()),
      forwarded: Type.Optional(Type.Boolean({ description: 'Only lines with (true) or without (false) a forward.' })),
    },
    strict,
  ),
  keyOfParams: (params) => params.dn,
  keyOfDocument: (document) => document.dn,
  items: (snapshot) => snapshot.lines,
  keyOf: (line) => line.dn,
  document: (line) => lineDocument(line),
  select: (documents, query) =>
    pageOf(
      documents.filter(
        (d) =>
          same(d.voicemailProfile, query.voicemailProfile) &&
          same(d.allowCtiControl ?? true, query.allowCtiControl) &&
          same(
            d.forward !== undefined &&
              ['all', 'busy', 'noAnswer', 'unregistered', 'ctiFailure', 'noCoverage'].some(
                (k) => k in (d.forward ?? {}),
              ),
            query.forwarded,
          ),
      ),
      query,
      {
        text: (d) => `${d.dn} ${d.description ?? ''}`,
        fields: { dn: (d) => d.dn, description: (d) => d.description ?? '' },
      },
    ),
  asDocument: (document) => ({ lines: [document] }),
});

export const voicemailProfiles = defineCollection({
  kind: 'voicemailProfiles',
  segment: 'voicemail-profiles',
  noun: 'voicemail profile',
  tag: 'Voicemail',
  keyName: 'name',
  schema: VoicemailProfileSchema,
  params: Type.Object({ name: ObjectName }),
  query: Type.Object({ ...listQueryProperties(['name', 'pilot']), pilot: Type.Optional(DirectoryNumber) }, strict),
  keyOfParams: (params) => params.name,
  keyOfDocument: (document) => document.name,
  items: (snapshot) => snapshot.voicemailProfiles,
  keyOf: (profile) => profile.name,
  document: (profile) => voicemailProfileDocument(profile),
  select: (documents, query) =>
    pageOf(
      documents.filter((d) => same(d.pilot, query.pilot)),
      query,
      { text: (d) => `${d.name} ${d.description ?? ''}`, fields: { name: (d) => d.name, pilot: (d) => d.pilot } },
    ),
  asDocument: (document) => ({ voicemailProfiles: [document] }),
});

export const lineGroups = defineCollection({
  kind: 'lineGroups',
  segment: 'line-groups',
  noun: 'line group',
  tag: 'Hunting',
  keyName: 'name',
  schema: LineGroupSchema,
  params: Type.Object({ name: ObjectName }),
  query: Type.Object(
    {
      ...listQueryProperties(['name', 'algorithm']),
      algorithm: Type.Optional(
        Type.Union([
          Type.Literal('top-down'),
          Type.Literal('circular'),
          Type.Literal('longest-idle'),
          Type.Literal('broadcast'),
        ]),
      ),
      member: Type.Optional(CloneType(DirectoryNumber, { description: 'Only groups with this member line.' })),
    },
    strict,
  ),
  keyOfParams: (params) => params.name,
  keyOfDocument: (document) => document.name,
  items: (snapshot) => snapshot.lineGroups,
  keyOf: (group) => group.name,
  document: (group) => lineGroupDocument(group),
  select: (documents, query) =>
    pageOf(
      documents.filter((d) => same(d.algorithm, query.algorithm) && has(d.members, query.member)),
      query,
      {
        text: (d) => `${d.name} ${d.description ?? ''}`,
        fields: { name: (d) => d.name, algorithm: (d) => d.algorithm ?? 'longest-idle' },
      },
    ),
  asDocument: (document) => ({ lineGroups: [document] }),
});

export const huntLists = defineCollection({
  kind: 'huntLists',
  segment: 'hunt-lists',
  noun: 'hunt list',
  tag: 'Hunting',
  keyName: 'name',
  schema: HuntListSchema,
  params: Type.Object({ name: ObjectName }),
  query: Type.Object(
    {
      ...listQueryProperties(['name']),
      lineGroup: Type.Optional(CloneType(ObjectName, { description: 'Only lists hunting this line group.' })),
    },
    strict,
  ),
  keyOfParams: (params) => params.name,
  keyOfDocument: (document) => document.name,
  items: (snapshot) => snapshot.huntLists,
  keyOf: (list) => list.name,
  document: (list) => huntListDocument(list),
  select: (documents, query) =>
    pageOf(
      documents.filter((d) => has(d.lineGroups, query.lineGroup)),
      query,
      { text: (d) => `${d.name} ${d.description ?? ''}`, fields: { name: (d) => d.name } },
    ),
  asDocument: (document) => ({ huntLists: [document] }),
});

export const huntPilots = defineCollection({
  kind: 'huntPilots',
  segment: 'hunt-pilots',
  noun: 'hunt pilot',
  tag: 'Hunting',
  keyName: 'pattern',
  schema: HuntPilotSchema,
  params: Type.Object({ pattern: DirectoryNumber }),
  query: Type.Object({ ...listQueryProperties(['pattern', 'huntList']), huntList: Type.Optional(ObjectName) }, strict),
  keyOfParams: (params) => params.pattern,
  keyOfDocument: (document) => document.pattern,
  items: (snapshot) => snapshot.huntPilots,
  keyOf: (pilot) => pilot.pattern,
  document: (pilot) => huntPilotDocument(pilot),
  select: (documents, query) =>
    pageOf(
      documents.filter((d) => same(d.huntList, query.huntList)),
      query,
      {
        text: (d) => `${d.pattern} ${d.description ?? ''}`,
        fields: { pattern: (d) => d.pattern, huntList: (d) => d.huntList },
      },
    ),
  asDocument: (document) => ({ huntPilots: [document] }),
});

const userFilters = {
  group: Type.Optional(
    Type.String({ minLength: 1, maxLength: 100, description: 'Only users in this access control group.' }),
  ),
  device: Type.Optional(CloneType(DeviceName, { description: 'Only users controlling this device.' })),
};

export const endUsers = defineCollection({
  kind: 'endUsers',
  segment: 'end-users',
  noun: 'end user',
  tag: 'Users',
  keyName: 'userId',
  schema: EndUserSchema,
  params: Type.Object({ userId: UserId }),
  query: Type.Object({ ...listQueryProperties(['userId', 'displayName']), ...userFilters }, strict),
  keyOfParams: (params) => params.userId,
  keyOfDocument: (document) => document.userId,
  items: (snapshot) => snapshot.endUsers,
  keyOf: (user) => user.userId,
  document: endUserDocument,
  select: (documents, query) =>
    pageOf(
      documents.filter((d) => has(d.groups, query.group) && has(d.devices, query.device)),
      query,
      {
        text: (d) => `${d.userId} ${d.displayName ?? ''}`,
        fields: { userId: (d) => d.userId, displayName: (d) => d.displayName ?? '' },
      },
    ),
  asDocument: (document) => ({ endUsers: [document] }),
});

export const applicationUsers = defineCollection({
  kind: 'applicationUsers',
  segment: 'application-users',
  noun: 'application user',
  tag: 'Users',
  keyName: 'userId',
  schema: ApplicationUserSchema,
  params: Type.Object({ userId: UserId }),
  query: Type.Object({ ...listQueryProperties(['userId']), ...userFilters }, strict),
  keyOfParams: (params) => params.userId,
  keyOfDocument: (document) => document.userId,
  items: (snapshot) => snapshot.applicationUsers,
  keyOf: (user) => user.userId,
  document: applicationUserDocument,
  select: (documents, query) =>
    pageOf(
      documents.filter((d) => has(d.groups, query.group) && has(d.devices, query.device)),
      query,
      { text: (d) => d.userId, fields: { userId: (d) => d.userId } },
    ),
  asDocument: (document) => ({ applicationUsers: [document] }),
});

export const deviceProfiles = defineCollection({
  kind: 'deviceProfiles',
  segment: 'device-profiles',
  noun: 'device profile',
  tag: 'Extension Mobility',
  keyName: 'name',
  schema: DeviceProfileSchema,
  params: Type.Object({ name: ProfileName }),
  query: Type.Object(
    {
      ...listQueryProperties(['name']),
      line: Type.Optional(CloneType(DirectoryNumber, { description: 'Only profiles with this line.' })),
    },
    strict,
  ),
  keyOfParams: (params) => params.name,
  keyOfDocument: (document) => document.name,
  items: (snapshot) => snapshot.deviceProfiles,
  keyOf: (profile) => profile.name,
  document: (profile) => deviceProfileDocument(profile),
  select: (documents, query) =>
    pageOf(
      documents.filter((d) => has(d.lines, query.line)),
      query,
      { text: (d) => `${d.name} ${d.description ?? ''}`, fields: { name: (d) => d.name } },
    ),
  asDocument: (document) => ({ deviceProfiles: [document] }),
});
