import { describe, expect, it } from 'vitest';
import type { ConfigSnapshot } from '../../store/index.js';
import { buildDomainView, diffDomains } from '../provider/domain-view.js';
import { mobilityChangeBetween } from '../provider/mobility-change.js';
import { CtiConfiguration, type LoginOnDevice } from './cti-configuration.js';
import { evaluateAccess } from './evaluate-access.js';
import { explainUser } from './explain-user.js';
import { computeProviderDomain } from './provider-domain.js';

/**
 * The permission matrix for Extension Mobility (domain reference §3.3–3.5, §3.8): whether the
 * profile is in the provider user's CTI-controlled profiles × the profile's "Allow Control of Device
 * from CTI" × the phone's own flag × whether someone is logged in — for an application user watching
 * another user's login, and for the end user who logged in (the same user id), each with and without
 * the phone among its controlled devices. Checked against §3.3–3.5 restated as an oracle below:
 * domain, the events an open provider gets on login and logout, and the explainer's deciding rule.
 */
interface Case {
  sameUser: boolean;
  associated: boolean;
  inProfiles: boolean;
  profileFlag: boolean;
  deviceFlag: boolean;
  loggedIn: boolean;
}

const ENABLED = 'Standard CTI Enabled';
const DEVICE = 'SEPHOTDESK';
const OWN_LINE = '3001';
const PROFILE = 'alice-em';
const PROFILE_LINE = '2001';

function snapshotOf(c: Case): ConfigSnapshot {
  const ctiUser = { devices: c.associated ? [DEVICE] : [], ctiControlledProfiles: c.inProfiles ? [PROFILE] : [] };
  return {
    version: 1,
    settings: { sipRealm: 'strowger', voicemailPilot: undefined, conferenceNumber: undefined },
    devices: [
      {
        name: DEVICE,
        type: 'sip-phone',
        description: undefined,
        allowCtiControl: c.deviceFlag,
        lines: [OWN_LINE],
        extensionMobility: true,
        sip: undefined,
      },
    ],
    lines: [OWN_LINE, PROFILE_LINE].map((dn) => ({
      dn,
      description: undefined,
      allowCtiControl: true,
      forward: {},
      noAnswerSeconds: 12,
      maxCalls: 2,
      busyTrigger: 1,
      voicemailProfile: undefined,
    })),
    voicemailProfiles: [],
    lineGroups: [],
    huntLists: [],
    huntPilots: [],
    deviceProfiles: [{ name: PROFILE, description: undefined, allowCtiControl: c.profileFlag, lines: [PROFILE_LINE] }],
    endUsers: [
      {
        userId: 'alice',
        displayName: undefined,
        passwordHash: undefined,
        pinHash: undefined,
        primaryExtension: undefined,
        groups: c.sameUser ? [ENABLED] : [],
        devices: c.sameUser ? ctiUser.devices : [],
        ctiControlledProfiles: c.sameUser ? ctiUser.ctiControlledProfiles : [],
        extensionMobility: { defaultProfile: PROFILE, profiles: [], allowCtiControl: true },
      },
    ],
    applicationUsers: c.sameUser ? [] : [{ userId: 'watcher', passwordHash: undefined, groups: [ENABLED], ...ctiUser }],
    groups: [{ name: ENABLED, builtIn: true, description: '' }],
  };
}

const login: LoginOnDevice = { device: DEVICE, userId: 'alice', profile: PROFILE };

interface Expected {
  inDomain: boolean;
  restricted: boolean;
  source: string | undefined;
  lines: string[];
  code: string | undefined;
  decider: { setting: string; subject: string };
}

/** §3.3–3.5 and §3.8 restated for one state (logged in or not). */
function oracle(c: Case, loggedIn: boolean): Expected {
  const viaLogin = loggedIn && (c.sameUser || c.inProfiles);
  const inDomain = c.associated || viaLogin;
  // While logged in, the profile's flag (with the user's, on here) replaces the phone's own.
  const flag = loggedIn ? c.profileFlag : c.deviceFlag;
  const restricted = inDomain && !flag;
  const decider = !inDomain
    ? { setting: 'controlled-device', subject: DEVICE }
    : restricted
      ? loggedIn
        ? { setting: 'extension-mobility-flag', subject: 'alice' }
        : { setting: 'device-cti-flag', subject: DEVICE }
      : c.associated
        ? { setting: 'controlled-device', subject: DEVICE }
        : { setting: 'controlled-device', subject: PROFILE };
  return {
    inDomain,
    restricted,
    source: c.associated ? 'controlled-device' : viaLogin ? 'extension-mobility' : undefined,
    lines: loggedIn ? [PROFILE_LINE] : [OWN_LINE],
    code: !inDomain ? 'ACCESS_TO_DEVICE_DENIED' : restricted ? 'DEVICE_RESTRICTED' : undefined,
    decider,
  };
}

/** The Cisco events an open provider gets when the domain goes from `before` to `after`. */
function expectedEvents(before: Expected, after: Expected): string[] {
  const events: string[] = [];
  if (before.inDomain && !after.inDomain) events.push('CiscoTermRemovedEv');
  if (before.inDomain && after.inDomain && !before.restricted && after.restricted)
    events.push('CiscoTermRestrictedEv', 'CiscoTermOutOfServiceEv');
  if (before.inDomain && after.inDomain && before.restricted && !after.restricted) events.push('CiscoTermActivatedEv');
  if (!before.inDomain && after.inDomain) events.push('CiscoTermCreatedEv');
  if (before.inDomain)
    for (const dn of before.lines) if (!after.inDomain || !after.lines.includes(dn)) events.push('CiscoAddrRemovedEv');
  if (after.inDomain)
    for (const dn of after.lines) if (!before.inDomain || !before.lines.includes(dn)) events.push('CiscoAddrCreatedEv');
  return events.sort();
}

function cases(): Case[] {
  const out: Case[] = [];
  const bools = [false, true];
  for (const sameUser of bools)
    for (const associated of bools)
      for (const inProfiles of bools)
        for (const profileFlag of bools)
          for (const deviceFlag of bools)
            for (const loggedIn of bools)
              out.push({ sameUser, associated, inProfiles, profileFlag, deviceFlag, loggedIn });
  return out;
}

const label = (c: Case) =>
  `${c.sameUser ? 'end user alice herself' : 'application user watcher'} associated=${c.associated} profile-in-cti-profiles=${c.inProfiles} profile-flag=${c.profileFlag} device-flag=${c.deviceFlag} logged-in=${c.loggedIn}`;

describe('the CTI permission matrix with Extension Mobility (§3.3–3.5, §3.8)', () => {
  it('covers 64 combinations', () => expect(cases()).toHaveLength(64));

  it.each(cases().map((c) => [label(c), c] as const))('%s', (_name, c) => {
    const snapshot = snapshotOf(c);
    const configuration = CtiConfiguration.fromSnapshot(snapshot, c.loggedIn ? [login] : []);
    const user = configuration.usersNamed(c.sameUser ? 'alice' : 'watcher')[0]!;
    const want = oracle(c, c.loggedIn);
    const none = new Set<string>();

    // The domain.
    const domain = computeProviderDomain(configuration, user, none);
    const terminal = domain.terminals.find((t) => t.name === DEVICE);
    expect(terminal !== undefined).toBe(want.inDomain);
    if (want.inDomain) {
      expect(terminal?.restricted).toBe(want.restricted);
      expect(terminal?.source).toBe(want.source);
      expect(domain.addresses.filter((a) => a.terminal === DEVICE).map((a) => a.dn)).toEqual(want.lines);
    }

    // The evaluator, and the rule that decided.
    const verdict = evaluateAccess({ configuration, user, device: DEVICE, acquired: none });
    expect(verdict.code).toBe(want.code);
    expect({ setting: verdict.decidedBy.setting, subject: verdict.decidedBy.subject }).toEqual(want.decider);
    expect(verdict.decidedBy.effect).toBe(want.code === undefined ? 'grants' : 'blocks');
    const emRule = verdict.rules.find((r) => r.setting === 'extension-mobility-flag');
    expect(emRule).toMatchObject(
      c.loggedIn
        ? { subject: 'alice', value: c.profileFlag, effect: c.profileFlag ? 'required' : 'blocks' }
        : { subject: DEVICE, value: null, effect: 'no-effect' },
    );
    if (!c.loggedIn) expect(emRule?.sentence).toMatch(/No Extension Mobility login is active/);
    if (c.loggedIn && !c.profileFlag)
      expect(emRule?.sentence).toMatch(/the profile's "Allow Control of Device from CTI" is off/);
    expect(verdict.rules.find((r) => r.setting === 'device-cti-flag')?.effect).toBe(
      c.loggedIn ? 'no-effect' : c.deviceFlag ? 'required' : 'blocks',
    );

    // The events an open provider gets on login, and on logout: each the other's way back.
    const viewOf = (logins: readonly LoginOnDevice[]) => {
      const config = CtiConfiguration.fromSnapshot(snapshot, logins);
      const u = config.usersNamed(user.userId)[0]!;
      return buildDomainView(computeProviderDomain(config, u, none), u, () => false);
    };
    const out = viewOf([]);
    const inLogin = viewOf([login]);
    const types = (from: typeof out, to: typeof out) =>
      diffDomains(from, to, 0)
        .events.map((e) => e.type)
        .filter((t) => !t.startsWith('CiscoAddrAddedTo') && !t.startsWith('CiscoAddrRemovedFrom'))
        .sort();
    const outState = oracle(c, false);
    const inState = oracle(c, true);
    expect(types(out, inLogin)).toEqual(expectedEvents(outState, inState));
    expect(types(inLogin, out)).toEqual(expectedEvents(inState, outState));

    // Each event's CiscoProvEv cause (§3.3): the login brings the phone in (3) or changes its lines (1);
    // the logout takes it out (4) or changes them back (2).
    const causes = (from: typeof out, to: typeof out, logins: [LoginOnDevice[], LoginOnDevice[]]) =>
      diffDomains(from, to, 0, mobilityChangeBetween(...logins)).events.flatMap((e) =>
        'ciscoCause' in e ? [`${e.type}:${e.ciscoCause}`] : [],
      );
    const entering = !outState.inDomain && inState.inDomain;
    for (const text of causes(out, inLogin, [[], [login]])) expect(text).toMatch(entering ? /:3$/ : /:1$/);
    for (const text of causes(inLogin, out, [[login], []])) expect(text).toMatch(entering ? /:4$/ : /:2$/);
    // Without a login change (a configuration change), the cause is normal.
    for (const text of causes(out, inLogin, [[], []])) expect(text).toMatch(/:0$/);

    // The explainer's report: the CTI-controlled profile, and the Extension Mobility flags.
    const report = explainUser(configuration, user, none);
    const assessed = (setting: string, subject: string) =>
      report.settings.find((s) => s.setting === setting && s.subject === subject);
    if (c.inProfiles) {
      const bringsDevice = c.loggedIn && !c.associated && !c.sameUser && c.profileFlag;
      expect(assessed('controlled-device', PROFILE)?.status).toBe(bringsDevice ? 'needed' : 'unneeded');
      if (!c.loggedIn)
        expect(assessed('controlled-device', PROFILE)?.sentence).toMatch(
          /Makes no difference now: nobody is logged in/,
        );
    } else {
      expect(assessed('controlled-device', PROFILE)).toBeUndefined();
    }
    const emFlag = assessed('extension-mobility-flag', 'alice');
    if (c.loggedIn && want.inDomain) {
      expect(emFlag?.status).toBe(c.profileFlag ? 'needed' : 'blocking');
      expect(assessed('device-cti-flag', DEVICE)?.sentence).toMatch(/Replaced by the Extension Mobility flag/);
    } else if (!c.loggedIn && c.sameUser) {
      expect(emFlag).toMatchObject({ status: 'unneeded' });
      expect(emFlag?.sentence).toMatch(/not logged in anywhere/);
    } else {
      expect(emFlag).toBeUndefined();
    }
  });

  it("the end user's own Extension Mobility flag off MUST restrict the phone during the login, and the explainer MUST say which flag", () => {
    const c: Case = {
      sameUser: false,
      associated: false,
      inProfiles: true,
      profileFlag: true,
      deviceFlag: true,
      loggedIn: true,
    };
    const snapshot = snapshotOf(c);
    snapshot.endUsers[0]!.extensionMobility!.allowCtiControl = false;
    const configuration = CtiConfiguration.fromSnapshot(snapshot, [login]);
    const user = configuration.usersNamed('watcher')[0]!;
    const verdict = evaluateAccess({ configuration, user, device: DEVICE, acquired: new Set() });
    expect(verdict.code).toBe('DEVICE_RESTRICTED');
    expect(verdict.decidedBy.sentence).toMatch(
      /the user's Extension Mobility "Allow Control of Device from CTI" is off/,
    );
  });
});
