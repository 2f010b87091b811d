import { describe, expect, it } from 'vitest';
import type { ApplyOptions, ApplyResult } from '../apply-config.js';
import type { ConfigDocument } from '../config/config-schema.js';
import type { ConfigSnapshot } from '../snapshot.js';
import { BulkImport, type ImportStatus } from './bulk-import.js';

function snapshot(): ConfigSnapshot {
  return {
    version: 3,
    settings: { sipRealm: 'strowger', voicemailPilot: undefined, conferenceNumber: '8000' },
    devices: [
      {
        name: 'SEPEXISTING',
        type: 'sip-phone',
        description: undefined,
        allowCtiControl: true,
        lines: ['1001'],
        sip: { username: 'taken', ha1: { realm: 'strowger', md5: 'a'.repeat(32), sha256: 'b'.repeat(64) } },
      },
    ],
    lines: ['1001', '1002', '1003'].map((dn) => ({
      dn,
      description: undefined,
      allowCtiControl: true,
      forward: {},
      noAnswerSeconds: 12,
      maxCalls: 2,
      busyTrigger: 1,
      voicemailProfile: undefined,
    })),
    voicemailProfiles: [{ name: 'Default', description: undefined, pilot: '1003' }],
    lineGroups: [],
    huntLists: [],
    huntPilots: [
      {
        pattern: '2000',
        description: undefined,
        huntList: 'x',
        maxHuntSeconds: 30,
        forwardNoAnswer: undefined,
        forwardBusy: undefined,
        usePersonalPreferences: false,
      },
    ],
    deviceProfiles: [],
    endUsers: [],
    applicationUsers: [],
    groups: [{ name: 'Standard CTI Enabled', builtIn: true, description: '' }],
  };
}

const zero = { created: 0, updated: 0, removed: 0, unchanged: 0 };

/** A target that keeps what it was asked to apply, and answers as an apply that created it all. */
function target() {
  const applied: Array<{ doc: ConfigDocument; options: ApplyOptions }> = [];
  return {
    applied,
    current: async () => snapshot(),
    apply: async (doc: ConfigDocument, options: ApplyOptions): Promise<ApplyResult> => {
      applied.push({ doc, options });
      options.onProgress?.(1, 2);
      options.onProgress?.(2, 2);
      const count = (list: unknown[] | undefined) => ({ ...zero, created: list?.length ?? 0 });
      return {
        changed: true,
        version: 4,
        devices: count(doc.devices),
        lines: count(doc.lines),
        endUsers: count(doc.endUsers),
        voicemailProfiles: zero,
        lineGroups: zero,
        huntLists: zero,
        huntPilots: zero,
        deviceProfiles: zero,
        applicationUsers: zero,
      };
    },
  };
}

async function run(text: string, options: { dryRun?: boolean; kind?: 'phones' | 'lines' | 'users' } = {}) {
  const into = target();
  const seen: ImportStatus[] = [];
  const status = await new BulkImport({
    id: 'test',
    text,
    kind: options.kind,
    dryRun: options.dryRun ?? false,
    actor: 'tester',
    target: into,
    onChange: (s) => seen.push(s),
  }).run();
  return { status, applied: into.applied, seen };
}

const problemsOf = (status: ImportStatus) => status.problems.map((p) => `row ${p.row}, ${p.column}: ${p.message}`);

describe('bulk import of CSV files', () => {
  it('tells the kind from the header and applies every row as one document', async () => {
    const { status, applied } = await run(
      'dn,description,forward.busy,forward.noAnswer,forward.noAnswerSeconds,maxCalls,busyTrigger,allowCtiControl\n' +
        '1101,Reception,voicemail,1001,20,4,2,no\n' +
        '1102,,,,,,,\n',
    );
    expect(status.problems).toEqual([]);
    expect(status.state).toBe('done');
    expect(status.summary).toMatchObject({ kind: 'lines', rows: 2, created: 2, version: 4 });
    expect(applied).toHaveLength(1);
    expect(applied[0]!.doc).toEqual({
      lines: [
        {
          dn: '1101',
          description: 'Reception',
          allowCtiControl: false,
          forward: { busy: { voicemail: true }, noAnswer: { destination: '1001' }, noAnswerSeconds: 20 },
          maxCalls: 4,
          busyTrigger: 2,
        },
        { dn: '1102' },
      ],
    });
    expect(applied[0]!.options).toMatchObject({ dryRun: false, actor: 'tester', auditAs: { resource: 'bulk-import' } });
  });

  it('reports progress up to the total while validating and while applying', async () => {
    const rows = Array.from({ length: 1200 }, (_, i) => `${3000 + i}`).join('\n');
    const { status, seen } = await run(`dn\n${rows}\n`);
    expect(status.state).toBe('done');
    const validating = seen.filter((s) => s.state === 'validating').map((s) => s.progress.done);
    expect(validating).toEqual([0, 500, 1000, 1200]);
    const applying = seen.filter((s) => s.state === 'applying').map((s) => s.progress.done);
    expect(applying.at(-1)).toBe(1200);
    expect(status.progress).toEqual({ done: 1200, total: 1200 });
  });

  it('names an unknown column, a column without a name and a missing key column by row 1', async () => {
    const { status, applied } = await run('name,lnes,,sip.username\nSEP1,1001,,u1\n', { kind: 'phones' });
    expect(status.state).toBe('failed');
    expect(problemsOf(status)).toEqual([
      expect.stringMatching(/^row 1, lnes: unknown column for phones \(did you mean "lines"\?\)/),
      'row 1, (column 3): a column without a name; name it or remove it',
      // The rows are still checked, past the columns that cannot be read.
      'row 2, sip.password: a new phone needs a SIP password',
    ]);
    expect(applied).toHaveLength(0);
    const noKey = await run('description\nx\n', { kind: 'lines' });
    expect(problemsOf(noKey.status)).toEqual(['row 1, dn: the header has no "dn" column; every row needs one']);
  });

  it('refuses a header it cannot tell the kind of, and says how to give it', async () => {
    const { status } = await run('description\nx\n');
    expect(status.problems[0]?.message).toMatch(/cannot tell what the file holds.*--kind/);
  });

  it('names each bad value by its row and column, with the schema’s own rules', async () => {
    const { status } = await run(
      'dn,maxCalls,allowCtiControl,forward.all,voicemailProfile\n' +
        '1201,lots,true,,\n' +
        '12a,2,maybe,,\n' +
        '1203,99999,true,12x4,\n' +
        '1204,2,true,,Nope\n',
    );
    expect(problemsOf(status)).toEqual([
      'row 2, maxCalls: "lots" is not a whole number',
      expect.stringMatching(/^row 3, dn: "12a" is not valid: Digits/),
      'row 3, allowCtiControl: "maybe" is not true or false (yes/no and 1/0 also do)',
      'row 4, maxCalls: 99999 is more than 10000, the most allowed here',
      'row 4, forward.all: "12x4" is not a number to forward to; write a directory number or "voicemail"',
      'row 5, voicemailProfile: voicemail profile "Nope" does not exist; known: "Default"',
    ]);
  });

  it('names a list item that breaks the schema', async () => {
    const { status } = await run('name,lines,sip.username,sip.password\nSEP1,1001;bad!,u1,pw\n');
    expect(problemsOf(status)).toEqual([expect.stringMatching(/^row 2, lines: item 2 \("bad!"\): /)]);
  });

  it('finds duplicates within the file, naming the first row', async () => {
    const { status } = await run(
      'name,lines,sip.username,sip.password\nSEP1,1001,u1,pw\nSEP2,1002,u1,pw\nSEP1,1002,u3,pw\n',
    );
    expect(problemsOf(status)).toEqual([
      'row 3, sip.username: "u1" is already the SIP user name in row 2; each phone needs its own',
      'row 4, name: "SEP1" is already in row 2; each must be unique',
    ]);
  });

  it('finds references to lines, devices, groups and profiles that do not exist', async () => {
    const phones = await run('name,lines,sip.username,sip.password\nSEP1,1001;1999,u1,pw\n');
    expect(problemsOf(phones.status)).toEqual([
      'row 2, lines: line 1999 does not exist; import them with a lines file first',
    ]);
    const users = await run(
      'userId,primaryExtension,devices,groups,ctiControlledProfiles\n' +
        'alice,1001,SEPEXISTING,Standard CTI Enabled,\n' +
        'bob,1999,SEPNONE,Admins,EMProfile\n',
    );
    expect(problemsOf(users.status)).toEqual([
      'row 3, devices: device "SEPNONE" does not exist; import the phones first',
      'row 3, groups: access control group "Admins" does not exist; known: "Standard CTI Enabled"',
      'row 3, primaryExtension: line 1999 does not exist; import it with a lines file first',
      'row 3, ctiControlledProfiles: device profile "EMProfile" does not exist; none is configured',
    ]);
  });

  it('finds conflicts with the configuration: a SIP user name, a hunt pilot and the conference number', async () => {
    const phones = await run('name,lines,sip.username,sip.password\nSEPNEW,1002,taken,pw\n');
    expect(problemsOf(phones.status)).toEqual([
      'row 2, sip.username: "taken" is the SIP user name of device SEPEXISTING; each phone needs its own',
    ]);
    const lines = await run('dn,maxCalls,busyTrigger\n2000,,\n8000,,\n1300,2,3\n1001,300,\n');
    expect(problemsOf(lines.status)).toEqual([
      "row 2, dn: 2000 is a hunt pilot's number; give the line a number of its own",
      'row 3, dn: 8000 is the conference number; give the line a number of its own',
      'row 4, busyTrigger: busyTrigger 3 is above maxCalls 2; lower busyTrigger or raise maxCalls',
      "row 5, maxCalls: 300 is above 200, the most for a line of a phone or CTI port (SEPEXISTING); only a cti-route-point's line holds more",
    ]);
  });

  it('asks a new phone for its SIP password, and keeps an existing phone’s when its user name stays', async () => {
    const { status } = await run('name,lines,sip.username\nSEPNEW,1002,new1\nSEPEXISTING,1001,taken\n');
    expect(problemsOf(status)).toEqual(['row 2, sip.password: a new phone needs a SIP password']);
  });

  it('a dry run validates and counts, and asks the apply for a dry run', async () => {
    const { status, applied } = await run('userId,displayName,password\nalice,Alice,secret\n', { dryRun: true });
    expect(status.state).toBe('done');
    expect(status.summary).toMatchObject({ kind: 'users', dryRun: true, created: 1 });
    expect(applied[0]!.options.dryRun).toBe(true);
  });

  it('reports CSV that cannot be read by its row, and a problem the apply found by the row it names', async () => {
    const broken = await run('dn,description\n1001,"open quote\n');
    expect(broken.status.problems[0]).toMatchObject({ row: 2, column: '' });
    expect(broken.status.problems[0]!.message).toMatch(/^not valid CSV: /);
    const into = target();
    into.apply = async () => {
      const { StrowgerError, ErrorCode } = await import('../../core/index.js');
      throw new StrowgerError(ErrorCode.ConfigInvalid, 'not applied', {
        details: { problems: ['line 1102: something the checks here do not know'] },
      });
    };
    const status = await new BulkImport({
      id: 'x',
      text: 'dn\n1101\n1102\n',
      dryRun: false,
      actor: 't',
      target: into,
    }).run();
    expect(status.state).toBe('failed');
    expect(status.problems).toEqual([
      { row: 3, column: '', message: 'line 1102: something the checks here do not know' },
    ]);
  });
});
