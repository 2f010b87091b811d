/**
 * The standard CTI roles of CUCM (domain reference §3.2). Each is held by the standard access control
 * group of the same name, which the store seeds; a user has a role when it is in a group holding it.
 */
export const CtiRole = {
  /** Connect over CTI at all; provider open fails without it. */
  Enabled: 'Standard CTI Enabled',
  /** "Superprovider": may acquire any CTI-controllable device by name (createTerminal). */
  AllowControlOfAllDevices: 'Standard CTI Allow Control of All Devices',
  /** Control phones whose transfer and conference are "connected"; without it they are restricted. */
  ConnectedTransferConference: 'Standard CTI Allow Control of Phones supporting Connected Xfer and conf',
  /** Control phones configured for line rollover; without it they are restricted. */
  RolloverMode: 'Standard CTI Allow Control of Phones supporting Rollover Mode',
  /** Silent monitoring and whisper on calls of devices in the domain. */
  CallMonitoring: 'Standard CTI Allow Call Monitoring',
  /** Start and stop recording on devices in the domain. */
  CallRecording: 'Standard CTI Allow Call Recording',
  /** Events for calls parked on every call-park number of the cluster. */
  CallParkMonitoring: 'Standard CTI Allow Call Park Monitoring',
  /** Change the calling number when redirecting or routing. */
  CallingNumberModification: 'Standard CTI Allow Calling Number Modification',
  /** Receive SRTP key material; only over TLS and together with the secure-connection role. */
  SrtpKeyMaterial: 'Standard CTI Allow Reception of SRTP Key Material',
  /** The user must connect over TLS. */
  SecureConnection: 'Standard CTI Secure Connection',
} as const;

export type CtiRole = (typeof CtiRole)[keyof typeof CtiRole];

const allRoles: ReadonlySet<string> = new Set(Object.values(CtiRole));

export function isCtiRole(name: string): name is CtiRole {
  return allRoles.has(name);
}

/**
 * The roles a user holds through its access control groups. The standard groups each hold the role of
 * their own name; a group that is not one of them holds no CTI role.
 */
export function rolesOfGroups(groups: readonly string[]): ReadonlySet<CtiRole> {
  const roles = new Set<CtiRole>();
  for (const group of groups) if (isCtiRole(group)) roles.add(group);
  return roles;
}

/**
 * The features the optional roles gate (§3.2). Each works only on devices in the provider's domain,
 * except call-park monitoring, which covers every call-park number.
 */
export const CtiFeature = {
  CallMonitoring: 'call-monitoring',
  CallRecording: 'call-recording',
  CallParkMonitoring: 'call-park-monitoring',
  CallingNumberModification: 'calling-number-modification',
  SrtpKeyMaterial: 'srtp-key-material',
} as const;

export type CtiFeature = (typeof CtiFeature)[keyof typeof CtiFeature];

/** Which role each feature needs, and what a person calls the feature. */
export const featureRoles: Readonly<Record<CtiFeature, { role: CtiRole; title: string }>> = {
  'call-monitoring': { role: CtiRole.CallMonitoring, title: 'silent monitoring and whisper' },
  'call-recording': { role: CtiRole.CallRecording, title: 'call recording' },
  'call-park-monitoring': { role: CtiRole.CallParkMonitoring, title: 'call-park monitoring' },
  'calling-number-modification': {
    role: CtiRole.CallingNumberModification,
    title: 'calling number modification on redirect and route',
  },
  'srtp-key-material': { role: CtiRole.SrtpKeyMaterial, title: 'SRTP key material' },
};
