import type { SwitchConfig } from '../switch/index.js';
import type { ConfigSnapshot } from '../store/index.js';

/** The engine's view of the stored configuration: devices, their lines, and each line's call handling. */
export function switchConfigFrom(snapshot: ConfigSnapshot): SwitchConfig {
  return {
    devices: snapshot.devices.map((device) => ({ name: device.name, type: device.type, lines: device.lines })),
    lines: snapshot.lines.map((line) => ({
      dn: line.dn,
      forward: line.forward,
      noAnswerSeconds: line.noAnswerSeconds,
      maxCalls: line.maxCalls,
      busyTrigger: line.busyTrigger,
    })),
    ...(snapshot.settings.voicemailPilot === undefined ? {} : { voicemailPilot: snapshot.settings.voicemailPilot }),
  };
}
