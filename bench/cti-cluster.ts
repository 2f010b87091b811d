import type { ConfigSnapshot } from '../packages/server/dist/store/index.js';

/**
 * The configuration the CTI benchmarks measure: a cluster of `devices` phones, one line each, every
 * hundredth device and every tenth line with its CTI flag off; the application user `monitor`
 * ("Standard CTI Enabled") controls the first `controlled` devices.
 */
export function ctiCluster(options: { devices: number; controlled: number; passwordHash?: string }): ConfigSnapshot {
  const names = Array.from({ length: options.devices }, (_, i) => `SEP${String(i).padStart(12, '0')}`);
  return {
    version: 1,
    settings: { sipRealm: 'strowger', voicemailPilot: undefined, conferenceNumber: undefined },
    devices: names.map((name, i) => ({
      name,
      type: 'sip-phone',
      description: undefined,
      allowCtiControl: i % 100 !== 0,
      lines: [String(100_000 + i)],
      sip: undefined,
    })),
    lines: names.map((_, i) => ({
      dn: String(100_000 + i),
      description: undefined,
      allowCtiControl: i % 10 !== 0,
      forward: {},
      noAnswerSeconds: 12,
      maxCalls: 4,
      busyTrigger: 2,
      voicemailProfile: undefined,
    })),
    voicemailProfiles: [],
    lineGroups: [],
    huntLists: [],
    huntPilots: [],
    deviceProfiles: [],
    endUsers: [],
    applicationUsers: [
      {
        userId: 'monitor',
        passwordHash: options.passwordHash,
        devices: names.slice(0, options.controlled),
        groups: ['Standard CTI Enabled'],
      },
    ],
    groups: [{ name: 'Standard CTI Enabled', builtIn: true, description: '' }],
  } as ConfigSnapshot;
}
