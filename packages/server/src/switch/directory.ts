import type { Logger } from '../core/index.js';
import type { RouteTarget } from './call-context.js';
import type { SwitchConfig, SwitchDevice, SwitchHuntList, SwitchLine, SwitchLineGroup } from './config.js';
import { DigitAnalyzer } from './digit-analysis.js';

/**
 * The configuration indexed for routing: devices and lines by name, the devices of each line, and
 * the digit analyser that turns a dialled number into a line, a hunt pilot, the conference number or a
 * feature code.
 * Rebuilt whole on every configuration change, so a call sees one version or the next, never a mix.
 */
export interface Directory {
  readonly config: SwitchConfig;
  readonly devices: ReadonlyMap<string, SwitchDevice>;
  readonly lines: ReadonlyMap<string, SwitchLine>;
  /** The devices each directory number appears on, in configuration order. */
  readonly lineDevices: ReadonlyMap<string, readonly SwitchDevice[]>;
  readonly analyzer: DigitAnalyzer<RouteTarget>;
  readonly voicemailPilot: string | undefined;
  readonly lineGroups: ReadonlyMap<string, SwitchLineGroup>;
  readonly huntLists: ReadonlyMap<string, SwitchHuntList>;
}

export function directoryOf(config: SwitchConfig, logger: Logger): Directory {
  const analyzer = new DigitAnalyzer<RouteTarget>();
  const route = (number: string, target: RouteTarget) => {
    try {
      analyzer.add(number, target);
    } catch (error) {
      // The store validates numbers; one that still cannot be routed must not stop the rest.
      logger.warn({ err: error, number }, 'a number in the configuration cannot be routed; it is skipped');
    }
  };
  for (const line of config.lines) route(line.dn, { kind: 'line', line });
  for (const pilot of config.huntPilots ?? []) route(pilot.pattern, { kind: 'pilot', pilot });
  if (config.conferenceNumber !== undefined) {
    route(config.conferenceNumber, { kind: 'conference', number: config.conferenceNumber });
  }
  for (const { code, feature } of config.featureCodes ?? []) route(code, { kind: 'feature', feature, number: code });
  const lineDevices = new Map<string, SwitchDevice[]>();
  for (const device of config.devices) {
    for (const dn of device.lines) {
      const list = lineDevices.get(dn) ?? [];
      list.push(device);
      lineDevices.set(dn, list);
    }
  }
  return {
    config,
    devices: new Map(config.devices.map((device) => [device.name, device])),
    lines: new Map(config.lines.map((line) => [line.dn, line])),
    lineDevices,
    analyzer,
    voicemailPilot: config.voicemailPilot,
    lineGroups: new Map((config.lineGroups ?? []).map((group) => [group.name, group])),
    huntLists: new Map((config.huntLists ?? []).map((list) => [list.name, list])),
  };
}
