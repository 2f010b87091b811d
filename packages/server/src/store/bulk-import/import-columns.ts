import type { TSchema } from '@sinclair/typebox';
import { DeviceSchema, EndUserSchema, LineSchema } from '../config/config-schema.js';

/** What a bulk import file holds: phones (devices), lines (directory numbers) or end users. */
export type ImportKind = 'phones' | 'lines' | 'users';
export const importKinds: readonly ImportKind[] = ['phones', 'lines', 'users'];

/**
 * How a cell is read: text as it is; a whole number; true/false (also yes/no, 1/0); a list
 * separated by ";" (in order: a phone's lines by line index); a forward target, a number or the word
 * "voicemail".
 */
export type CellType = 'text' | 'integer' | 'boolean' | 'list' | 'forward';

/**
 * One column of an import file. Its name is the key the YAML configuration file uses, dotted where
 * the file nests (`sip.username`, `forward.busy`), so a row reads like the object it becomes.
 */
export interface ImportColumn {
  readonly name: string;
  readonly type: CellType;
  /** Where the value goes in the configuration object. */
  readonly path: readonly string[];
  readonly description: string;
}

export interface ImportKindSpec {
  readonly kind: ImportKind;
  /** The configuration document's section the rows become. */
  readonly section: 'devices' | 'lines' | 'endUsers';
  /** The column that names each object: required, and unique in a file. */
  readonly key: string;
  /** The schema that validates each row's object: the YAML file's and the REST API's own. */
  readonly schema: TSchema;
  readonly columns: readonly ImportColumn[];
}

const column = (name: string, type: CellType, description: string): ImportColumn => ({
  name,
  type,
  path: name.split('.'),
  description,
});

export const importSpecs: Readonly<Record<ImportKind, ImportKindSpec>> = {
  phones: {
    kind: 'phones',
    section: 'devices',
    key: 'name',
    schema: DeviceSchema,
    columns: [
      column('name', 'text', 'Device name, e.g. SEP00AABBCCDDEE'),
      column('type', 'text', 'sip-phone (when empty), cti-route-point or cti-port'),
      column('description', 'text', 'Free text'),
      column('allowCtiControl', 'boolean', '"Allow Control of Device from CTI"; true when empty'),
      column('extensionMobility', 'boolean', 'End users may log in on it with Extension Mobility; false when empty'),
      column(
        'autoAnswer',
        'text',
        'both (when empty), answer-mode, call-info or off: how it is asked to answer by itself',
      ),
      column('lines', 'list', 'Directory numbers separated by ";", line 1 first; each must exist'),
      column('sip.username', 'text', "The phone's SIP digest user name (a sip-phone needs one)"),
      column('sip.password', 'text', 'Its SIP password (needed for a new phone, or to change it)'),
    ],
  },
  lines: {
    kind: 'lines',
    section: 'lines',
    key: 'dn',
    schema: LineSchema,
    columns: [
      column('dn', 'text', 'The directory number'),
      column('description', 'text', 'Free text'),
      column('allowCtiControl', 'boolean', '"Allow control from CTI"; true when empty'),
      column('forward.all', 'forward', 'Forward all: a number, or "voicemail"'),
      column('forward.busy', 'forward', 'Forward busy: a number, or "voicemail"'),
      column('forward.noAnswer', 'forward', 'Forward no answer: a number, or "voicemail"'),
      column('forward.unregistered', 'forward', 'Forward unregistered: a number, or "voicemail"'),
      column(
        'forward.ctiFailure',
        'forward',
        'Forward on CTI failure (route point and CTI port lines): a number, or "voicemail"',
      ),
      column('forward.noCoverage', 'forward', 'Forward no coverage (for hunt pilots that use personal preferences)'),
      column('forward.noAnswerSeconds', 'integer', 'Seconds of ringing before forward no answer; 12 when empty'),
      column('maxCalls', 'integer', 'Calls the line may have at once; 2 when empty (5,000 on a CTI route point)'),
      column(
        'busyTrigger',
        'integer',
        'Calls at which a further caller finds it busy; 1 when empty (4,500 on a route point)',
      ),
      column('voicemailProfile', 'text', 'A voicemail profile that exists'),
      column('pickupGroup', 'text', 'Call pickup group: lines with the same name may pick up each other’s calls'),
    ],
  },
  users: {
    kind: 'users',
    section: 'endUsers',
    key: 'userId',
    schema: EndUserSchema,
    columns: [
      column('userId', 'text', 'The user id'),
      column('displayName', 'text', 'The name shown'),
      column('password', 'text', 'Password (stored hashed); kept when empty on an existing user'),
      column('pin', 'text', 'PIN, 4–20 digits (stored hashed); kept when empty on an existing user'),
      column('primaryExtension', 'text', 'A directory number that exists'),
      column('devices', 'list', 'Devices the user owns, separated by ";"; each must exist'),
      column('groups', 'list', 'Access control groups, separated by ";"'),
      column('extensionMobility.defaultProfile', 'text', 'Device profile used at an Extension Mobility login'),
      column('extensionMobility.profiles', 'list', 'Further device profiles the user may choose, separated by ";"'),
      column('extensionMobility.allowCtiControl', 'boolean', 'CTI control during the login; true when empty'),
      column('ctiControlledProfiles', 'list', 'Device profiles whose logins the user may control over CTI'),
    ],
  },
};

/** The kind a header row is for, told by its key column; undefined when none or several fit. */
export function kindOfHeader(header: readonly string[]): ImportKind | undefined {
  const fits = importKinds.filter((kind) => header.includes(importSpecs[kind].key));
  return fits.length === 1 ? fits[0] : undefined;
}
