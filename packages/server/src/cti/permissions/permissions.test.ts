import { describe, expect, it } from 'vitest';
import { isStrowgerError } from '../../core/index.js';
import type { ConfigSnapshot } from '../../store/index.js';
import { CtiConfiguration, type CtiDevice, type CtiUser } from './cti-configuration.js';
import { evaluateAccess } from './evaluate-access.js';
import { computeProviderDomain } from './provider-domain.js';
import { explainUser } from './explain-user.js';
import { CtiRole, rolesOfGroups } from './roles.js';
import { explainLine, findCtiUser } from '../explain.js';

const phone = (name: string, lines: string[], extra: Partial<CtiDevice> = {}): CtiDevice => ({
  name,
  type: 'sip-phone',
  allowCtiControl: true,
  lines,
  connectedTransferConference: false,
  rolloverMode: false,
  ...extra,
});

const user = (userId: string, groups: string[], devices: string[], extra: Partial<CtiUser> = {}): CtiUser => ({
  userId,
  kind: 'application-user',
  groups,
  roles: rolesOfGroups(groups),
  controlledDevices: new Set(devices),
  controlledProfiles: [],
  ...extra,
});

const lines = (...dns: string[]) => dns.map((dn) => ({ dn, allowCtiControl: true }));
const none = new Set<string>();

describe('the provider domain', () => {
  it('MUST include every line of a controlled device, shared lines of other people included', () => {
    const app = user('app', [CtiRole.Enabled], ['SEP_RECEPTION']);
    const configuration = new CtiConfiguration({
      devices: [phone('SEP_ALICE', ['1001']), phone('SEP_RECEPTION', ['1003', '1001'])],
      lines: lines('1001', '1003'),
      users: [app],
    });
    const domain = computeProviderDomain(configuration, app);
    expect(domain.terminals.map((t) => t.name)).toEqual(['SEP_RECEPTION']);
    expect(domain.addresses.map((a) => `${a.dn}@${a.terminal}`)).toEqual(['1003@SEP_RECEPTION', '1001@SEP_RECEPTION']);
    // Alice's own appearance of 1001 is not in the domain; her device is excluded with the reason.
    expect(domain.excluded.devices).toEqual([
      expect.objectContaining({ name: 'SEP_ALICE', code: 'ACCESS_TO_DEVICE_DENIED' }),
    ]);
    expect(domain.excluded.devices[0]?.reason).toContain('not one of application user app');
    expect(domain.excluded.lines).toEqual([]);
  });

  it('a shared line restricted on one device MUST stay observable through its other appearance', () => {
    const app = user('app', [CtiRole.Enabled], ['SEP_A', 'SEP_B']);
    const configuration = new CtiConfiguration({
      devices: [phone('SEP_A', ['1001'], { allowCtiControl: false }), phone('SEP_B', ['1001'])],
      lines: lines('1001'),
      users: [app],
    });
    const explained = explainLine(configuration, app, '1001', none);
    expect(explained.verdict?.mayObserve).toBe(true);
    expect(explained.verdict?.device).toBe('SEP_B');
    expect(explained.appearances.map((v) => v.code)).toEqual(['DEVICE_RESTRICTED', undefined]);
    const domain = computeProviderDomain(configuration, app);
    expect(domain.addresses.map((a) => [a.terminal, a.restricted])).toEqual([
      ['SEP_A', true],
      ['SEP_B', false],
    ]);
  });

  it('MUST list terminals in device-name order whatever order the configuration came in', () => {
    const app = user('app', [CtiRole.Enabled], ['SEP_C', 'SEP_A', 'SEP_B']);
    const configuration = new CtiConfiguration({
      devices: [phone('SEP_C', ['3']), phone('SEP_A', ['1']), phone('SEP_B', ['2'])],
      lines: lines('3', '1', '2'),
      users: [app],
    });
    expect(computeProviderDomain(configuration, app).terminals.map((t) => t.name)).toEqual(['SEP_A', 'SEP_B', 'SEP_C']);
    expect([...configuration.lines.keys()]).toEqual(['1', '2', '3']);
  });

  it('a line on no device MUST be listed as excluded, saying so', () => {
    const app = user('app', [CtiRole.Enabled], []);
    const configuration = new CtiConfiguration({ devices: [], lines: lines('4000'), users: [app] });
    expect(computeProviderDomain(configuration, app).excluded.lines).toEqual([
      {
        name: '4000',
        code: 'ACCESS_TO_DEVICE_DENIED',
        reason: 'Line 4000 appears on no device, so no provider reaches it.',
      },
    ]);
  });

  it('an application user with 10,000 controlled devices MUST get all of them, each with its line', () => {
    const names = Array.from({ length: 10_000 }, (_, i) => `CTIPORT_${String(i).padStart(5, '0')}`);
    const app = user('ivr', [CtiRole.Enabled], names);
    const configuration = new CtiConfiguration({
      devices: names.map((name, i) => ({ ...phone(name, [String(50_000 + i)]), type: 'cti-port' as const })),
      lines: names.map((_, i) => ({ dn: String(50_000 + i), allowCtiControl: i !== 7 })),
      users: [app],
    });
    const domain = computeProviderDomain(configuration, app);
    expect(domain.terminals).toHaveLength(10_000);
    expect(domain.addresses).toHaveLength(10_000);
    expect(domain.addresses.filter((a) => a.restricted).map((a) => a.dn)).toEqual(['50007']);
    expect(domain.excluded).toEqual({ devices: [], lines: [] });
  });
});

describe('roles beyond the domain', () => {
  it('a phone with connected transfer MUST be restricted without its role, decided by that group', () => {
    const without = user('app', [CtiRole.Enabled], ['SEP_8865']);
    const withRole = user('app2', [CtiRole.Enabled, CtiRole.ConnectedTransferConference], ['SEP_8865']);
    const configuration = new CtiConfiguration({
      devices: [phone('SEP_8865', ['1001'], { connectedTransferConference: true })],
      lines: lines('1001'),
      users: [without, withRole],
    });
    const denied = evaluateAccess({ configuration, user: without, device: 'SEP_8865', acquired: none });
    expect(denied.code).toBe('DEVICE_RESTRICTED');
    expect(denied.decidedBy).toMatchObject({
      setting: 'access-control-group',
      subject: CtiRole.ConnectedTransferConference,
      effect: 'blocks',
    });
    expect(computeProviderDomain(configuration, without).terminals[0]?.restricted).toBe(true);
    const allowed = evaluateAccess({ configuration, user: withRole, device: 'SEP_8865', acquired: none });
    expect(allowed.mayObserve).toBe(true);
    expect(explainUser(configuration, withRole).needed.map((s) => s.subject)).toContain(
      CtiRole.ConnectedTransferConference,
    );
  });

  it('feature roles MUST gate their features only on devices the provider may observe; SRTP keys need the secure-connection role too', () => {
    const groups = [CtiRole.Enabled, CtiRole.CallMonitoring, CtiRole.SrtpKeyMaterial, CtiRole.CallParkMonitoring];
    const app = user('rec', groups, ['SEP_OK', 'SEP_OFF']);
    const configuration = new CtiConfiguration({
      devices: [phone('SEP_OK', ['1']), phone('SEP_OFF', ['2'], { allowCtiControl: false })],
      lines: lines('1', '2'),
      users: [app],
    });
    const ok = evaluateAccess({ configuration, user: app, device: 'SEP_OK', acquired: none });
    expect(ok.features).toEqual({
      'call-monitoring': true,
      'call-recording': false,
      'call-park-monitoring': true,
      'calling-number-modification': false,
      'srtp-key-material': false,
    });
    const off = evaluateAccess({ configuration, user: app, device: 'SEP_OFF', acquired: none });
    expect(off.features['call-monitoring']).toBe(false);
    const secure = user('rec2', [...groups, CtiRole.SecureConnection], ['SEP_OK']);
    const withTls = new CtiConfiguration({ devices: [phone('SEP_OK', ['1'])], lines: lines('1'), users: [secure] });
    expect(
      evaluateAccess({ configuration: withTls, user: secure, device: 'SEP_OK', acquired: none }).features[
        'srtp-key-material'
      ],
    ).toBe(true);
    const report = explainUser(configuration, app);
    const status = (subject: string) => report.settings.find((s) => s.subject === subject)?.status;
    expect(status(CtiRole.CallMonitoring)).toBe('feature');
    expect(status(CtiRole.SrtpKeyMaterial)).toBe('unneeded');
    expect(status('SEP_OFF')).toBe('unneeded');
  });
});

describe('Extension Mobility inputs', () => {
  it('a login with the provider user id MUST bring the device into the domain, and the login flag MUST replace the device flag', () => {
    const alice = user('alice', [CtiRole.Enabled], [], { kind: 'end-user' });
    const make = (allowCtiControl: boolean) =>
      new CtiConfiguration({
        devices: [phone('SEP_HOTDESK', ['1001'])],
        lines: lines('1001'),
        users: [alice],
        extensionMobilityLogins: [
          { device: 'SEP_HOTDESK', userId: 'alice', profile: 'alice-profile', allowCtiControl },
        ],
      });
    const allowed = evaluateAccess({ configuration: make(true), user: alice, device: 'SEP_HOTDESK', acquired: none });
    expect(allowed).toMatchObject({ mayObserve: true, source: 'extension-mobility' });
    expect(allowed.decidedBy).toMatchObject({
      setting: 'controlled-device',
      subject: 'alice-profile',
      effect: 'grants',
    });
    const restricted = evaluateAccess({
      configuration: make(false),
      user: alice,
      device: 'SEP_HOTDESK',
      acquired: none,
    });
    expect(restricted.code).toBe('DEVICE_RESTRICTED');
    expect(restricted.decidedBy).toMatchObject({ setting: 'extension-mobility-flag', subject: 'alice', value: false });
    expect(computeProviderDomain(make(true), alice).terminals).toEqual([
      expect.objectContaining({ name: 'SEP_HOTDESK', source: 'extension-mobility', restricted: false }),
    ]);
  });
});

describe('configuration snapshot', () => {
  const snapshot = {
    devices: [{ name: 'SEP1', type: 'sip-phone', allowCtiControl: true, lines: ['1'] }],
    lines: [{ dn: '1', allowCtiControl: true }],
    groups: [
      { name: CtiRole.Enabled, builtIn: true, description: '' },
      { name: 'Helpdesk', builtIn: false, description: '' },
    ],
    endUsers: [{ userId: 'pat', devices: ['SEP1'], groups: [CtiRole.Enabled, 'Helpdesk'] }],
    applicationUsers: [{ userId: 'pat', devices: [], groups: [] }],
    deviceProfiles: [],
  } as unknown as ConfigSnapshot;

  it('MUST index a snapshot once and resolve the standard groups to their roles only', () => {
    const configuration = CtiConfiguration.fromSnapshot(snapshot);
    expect(CtiConfiguration.fromSnapshot(snapshot)).toBe(configuration);
    const pat = findCtiUser(configuration, 'pat', 'end-user');
    expect([...pat.roles]).toEqual([CtiRole.Enabled]);
    const report = explainUser(configuration, pat);
    expect(report.unneeded.map((s) => s.subject)).toEqual(['Helpdesk']);
  });

  it('an unknown user MUST fail with NOT_FOUND naming the users there are, and a shared id MUST ask for the kind', () => {
    const configuration = CtiConfiguration.fromSnapshot(snapshot);
    expect(() => findCtiUser(configuration, 'nobody')).toThrow(/end users are: pat; the application users are: pat/);
    try {
      findCtiUser(configuration, 'pat');
      expect.unreachable();
    } catch (error) {
      expect(isStrowgerError(error, 'INVALID_ARGUMENT')).toBe(true);
    }
  });
});

describe('the seed case (domain reference §3.7)', () => {
  const configuration = new CtiConfiguration({
    devices: [phone('SEP_ALICE', ['1001']), phone('SEP_BOB', ['1002'])],
    lines: lines('1001', '1002'),
    users: [
      user('popper', [CtiRole.Enabled, CtiRole.AllowControlOfAllDevices], []),
      user('alice', [CtiRole.Enabled], ['SEP_ALICE'], { kind: 'end-user' }),
    ],
  });
  const popper = findCtiUser(configuration, 'popper');

  it('an application user with both CTI roles and no devices MUST see nothing, the all-devices role unneeded', () => {
    const report = explainUser(configuration, popper);
    expect(report.reach).toEqual({ terminals: 0, observableTerminals: 0, addresses: 0, observableAddresses: 0 });
    expect(report.unneeded.map((s) => s.subject)).toEqual([CtiRole.AllowControlOfAllDevices]);
    expect(report.needed.map((s) => s.subject)).toEqual([CtiRole.Enabled]);
    expect(evaluateAccess({ configuration, user: popper, device: 'SEP_ALICE', acquired: none })).toMatchObject({
      mayObserve: false,
      acquirable: true,
      code: 'ACCESS_TO_DEVICE_DENIED',
    });
  });

  it('once it acquires the phones the all-devices role MUST become the one that is needed', () => {
    const acquired = new Set(['SEP_ALICE', 'SEP_BOB']);
    const report = explainUser(configuration, popper, acquired);
    expect(report.needed.map((s) => s.subject)).toEqual([
      CtiRole.Enabled,
      CtiRole.AllowControlOfAllDevices,
      'SEP_ALICE',
      'SEP_BOB',
      '1001',
      '1002',
    ]);
    expect(report.unneeded).toEqual([]);
  });
});
