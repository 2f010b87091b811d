import { describe, expect, it } from 'vitest';
import { CtiConfiguration, type CtiUser, type CtiUserKind } from './cti-configuration.js';
import { decideAccess, evaluateAccess } from './evaluate-access.js';
import { computeProviderDomain } from './provider-domain.js';
import { explainUser } from './explain-user.js';
import { rolesOfGroups } from './roles.js';
import { explainDevice, explainLine } from '../explain.js';

/**
 * Every combination of the settings that decide CTI access — the user's two CTI groups, device
 * association, the device's and the line's "Allow Control of Device from CTI", and whether a
 * superprovider acquired the device — for an end user and an application user, checked against the
 * domain reference §3.8 written out again below as an oracle that shares no code with the evaluator.
 */
interface Case {
  kind: CtiUserKind;
  enabled: boolean;
  allDevices: boolean;
  associated: boolean;
  deviceFlag: boolean;
  lineFlag: boolean;
  acquired: boolean;
}

interface Expected {
  open: boolean;
  /** Whether the terminal is listed in the provider's domain. */
  inDomain: boolean;
  terminalRestricted: boolean;
  addressRestricted: boolean;
  /** Observing the device alone, and the device–line appearance. */
  deviceCode: string | undefined;
  lineCode: string | undefined;
  /** The deciding rule for the appearance: which setting, about what. */
  decider: { setting: string; subject: string };
}

const ENABLED = 'Standard CTI Enabled';
const ALL = 'Standard CTI Allow Control of All Devices';
const DEVICE = 'SEP00000000AAAA';
const LINE = '2001';

/** §3.8, restated: login, then domain, then device restriction, then line restriction. */
function oracle(c: Case): Expected {
  const inDomain = c.associated || (c.allDevices && c.acquired);
  const granting = c.associated
    ? { setting: 'controlled-device', subject: DEVICE }
    : { setting: 'access-control-group', subject: ALL };
  if (!c.enabled) {
    return {
      open: false,
      inDomain: false,
      terminalRestricted: false,
      addressRestricted: false,
      deviceCode: 'LOGIN_NOT_ALLOWED',
      lineCode: 'LOGIN_NOT_ALLOWED',
      decider: { setting: 'access-control-group', subject: ENABLED },
    };
  }
  if (!inDomain) {
    return {
      open: true,
      inDomain: false,
      terminalRestricted: false,
      addressRestricted: false,
      deviceCode: 'ACCESS_TO_DEVICE_DENIED',
      lineCode: 'ACCESS_TO_DEVICE_DENIED',
      decider: { setting: 'controlled-device', subject: DEVICE },
    };
  }
  return {
    open: true,
    inDomain: true,
    terminalRestricted: !c.deviceFlag,
    addressRestricted: !c.deviceFlag || !c.lineFlag,
    deviceCode: c.deviceFlag ? undefined : 'DEVICE_RESTRICTED',
    lineCode: !c.deviceFlag ? 'DEVICE_RESTRICTED' : !c.lineFlag ? 'LINE_RESTRICTED' : undefined,
    decider: !c.deviceFlag
      ? { setting: 'device-cti-flag', subject: DEVICE }
      : !c.lineFlag
        ? { setting: 'line-cti-flag', subject: LINE }
        : granting,
  };
}

function cases(): Case[] {
  const out: Case[] = [];
  const bools = [false, true];
  for (const kind of ['end-user', 'application-user'] as const)
    for (const enabled of bools)
      for (const allDevices of bools)
        for (const associated of bools)
          for (const deviceFlag of bools)
            for (const lineFlag of bools)
              for (const acquired of bools)
                out.push({ kind, enabled, allDevices, associated, deviceFlag, lineFlag, acquired });
  return out;
}

function setUp(c: Case) {
  const groups = [...(c.enabled ? [ENABLED] : []), ...(c.allDevices ? [ALL] : [])];
  const user: CtiUser = {
    userId: 'u1',
    kind: c.kind,
    groups,
    roles: rolesOfGroups(groups),
    controlledDevices: new Set(c.associated ? [DEVICE] : []),
    controlledProfiles: [],
  };
  const configuration = new CtiConfiguration({
    devices: [
      {
        name: DEVICE,
        type: 'sip-phone',
        allowCtiControl: c.deviceFlag,
        lines: [LINE],
        connectedTransferConference: false,
        rolloverMode: false,
      },
      // Someone else's phone, never associated or acquired: always outside the domain.
      {
        name: 'SEP00000000BBBB',
        type: 'sip-phone',
        allowCtiControl: true,
        lines: ['2002'],
        connectedTransferConference: false,
        rolloverMode: false,
      },
    ],
    lines: [
      { dn: LINE, allowCtiControl: c.lineFlag },
      { dn: '2002', allowCtiControl: true },
    ],
    users: [user],
  });
  const acquired = new Set(c.acquired ? [DEVICE] : []);
  return { user, configuration, acquired };
}

const label = (c: Case) =>
  `${c.kind} enabled=${c.enabled} all-devices=${c.allDevices} associated=${c.associated} device-flag=${c.deviceFlag} line-flag=${c.lineFlag} acquired=${c.acquired}`;

describe('the CTI permission matrix (domain reference §3.8)', () => {
  it('covers 128 combinations', () => expect(cases()).toHaveLength(128));

  it.each(cases().map((c) => [label(c), c] as const))('%s', (_name, c) => {
    const want = oracle(c);
    const { user, configuration, acquired } = setUp(c);

    // The provider's domain.
    const domain = computeProviderDomain(configuration, user, acquired);
    expect(domain.mayOpenProvider).toBe(want.open);
    if (!want.open) expect(domain.refusal?.code).toBe('LOGIN_NOT_ALLOWED');
    const terminal = domain.terminals.find((t) => t.name === DEVICE);
    const address = domain.addresses.find((a) => a.terminal === DEVICE && a.dn === LINE);
    expect(terminal !== undefined).toBe(want.inDomain);
    expect(address !== undefined).toBe(want.inDomain);
    expect(domain.terminals.some((t) => t.name === 'SEP00000000BBBB')).toBe(false);
    if (want.inDomain) {
      expect(terminal?.restricted).toBe(want.terminalRestricted);
      expect(terminal?.source).toBe(c.associated ? 'controlled-device' : 'acquired');
      expect(address?.restricted).toBe(want.addressRestricted);
      if (want.addressRestricted) expect(address?.restriction?.code).toBe(want.lineCode);
    } else if (want.open) {
      expect(domain.excluded.devices.find((d) => d.name === DEVICE)?.code).toBe('ACCESS_TO_DEVICE_DENIED');
      expect(domain.excluded.lines.find((l) => l.name === LINE)?.code).toBe('ACCESS_TO_DEVICE_DENIED');
    }

    // Observing the device, and the appearance.
    const onDevice = evaluateAccess({ configuration, user, device: DEVICE, acquired });
    expect(onDevice.code).toBe(want.deviceCode);
    expect(onDevice.mayObserve).toBe(want.deviceCode === undefined);
    expect(onDevice.mayControl).toBe(want.deviceCode === undefined);
    const onLine = evaluateAccess({ configuration, user, device: DEVICE, line: LINE, acquired });
    expect(onLine.code).toBe(want.lineCode);
    expect(onLine.mayObserve).toBe(want.lineCode === undefined);
    expect({ setting: onLine.decidedBy.setting, subject: onLine.decidedBy.subject }).toEqual(want.decider);
    expect(onLine.decidedBy.effect).toBe(want.lineCode === undefined ? 'grants' : 'blocks');
    // The short form a provider open uses decides the same, by the same rule.
    const { acquirable: _a, mayControl: _c, rules: _r, features: _f, ...decision } = onLine;
    expect(decideAccess({ configuration, user, device: DEVICE, line: LINE, acquired })).toEqual(decision);

    // Every one of the settings appears with its value and effect.
    const ruleFor = (setting: string, subject: string) =>
      onLine.rules.find((r) => r.setting === setting && r.subject === subject);
    expect(ruleFor('access-control-group', ENABLED)).toMatchObject({
      value: c.enabled,
      effect: c.enabled ? 'required' : 'blocks',
    });
    const inDomain = c.associated || (c.allDevices && c.acquired);
    expect(ruleFor('controlled-device', DEVICE)).toMatchObject({
      value: c.associated,
      effect: c.associated ? 'grants' : inDomain ? 'no-effect' : 'blocks',
    });
    expect(ruleFor('access-control-group', ALL)).toMatchObject({
      value: c.allDevices,
      effect: c.allDevices && c.acquired && !c.associated ? 'grants' : 'no-effect',
    });
    expect(ruleFor('device-cti-flag', DEVICE)).toMatchObject({
      value: c.deviceFlag,
      effect: c.deviceFlag ? 'required' : 'blocks',
    });
    expect(ruleFor('line-cti-flag', LINE)).toMatchObject({
      value: c.lineFlag,
      effect: c.lineFlag ? 'required' : 'blocks',
    });
    expect(ruleFor('extension-mobility-flag', DEVICE)).toMatchObject({ value: null, effect: 'no-effect' });
    for (const rule of onLine.rules) expect(rule.sentence.length).toBeGreaterThan(20);

    // The explainer's answers agree with the evaluator.
    expect(explainDevice(configuration, user, { device: DEVICE, line: LINE }, acquired).code).toBe(want.lineCode);
    const line = explainLine(configuration, user, LINE, acquired);
    expect(line.verdict?.code).toBe(want.lineCode);
    expect(line.verdict?.decidedBy.setting).toBe(want.decider.setting);

    // The per-user report: what is needed, what could go.
    const report = explainUser(configuration, user, acquired);
    const status = (setting: string, subject: string) =>
      report.settings.find((s) => s.setting === setting && s.subject === subject)?.status;
    if (c.enabled) expect(status('access-control-group', ENABLED)).toBe('needed');
    if (c.allDevices) {
      const onlyByAcquiring = c.enabled && c.acquired && !c.associated && c.deviceFlag;
      expect(status('access-control-group', ALL)).toBe(onlyByAcquiring ? 'needed' : 'unneeded');
    }
    if (c.associated) {
      const needed = c.enabled && c.deviceFlag && !(c.allDevices && c.acquired);
      expect(status('controlled-device', DEVICE)).toBe(needed ? 'needed' : 'unneeded');
    }
    if (want.inDomain) {
      expect(status('device-cti-flag', DEVICE)).toBe(c.deviceFlag ? 'needed' : 'blocking');
      expect(status('line-cti-flag', LINE)).toBe(!c.lineFlag ? 'blocking' : c.deviceFlag ? 'needed' : 'unneeded');
    } else {
      expect(status('device-cti-flag', DEVICE)).toBeUndefined();
    }
    expect(report.unneeded.every((s) => s.status === 'unneeded')).toBe(true);
  });
});
