import type { SwitchConfig, SwitchDevice } from './config.js';
import type { DeviceEvent } from './events.js';

/** A device or line event before the engine stamps its sequence number and time. */
export type DeviceEventBody = DeviceEvent extends infer E
  ? E extends DeviceEvent
    ? Omit<E, 'engineSeq' | 'at'>
    : never
  : never;

/** A device's lines as availability events: each line is in (or out of) service on that device. */
export function serviceEvents(device: SwitchDevice, inService: boolean): DeviceEventBody[] {
  const type = inService ? 'address.inService' : 'address.outOfService';
  return [
    { type: inService ? 'terminal.inService' : 'terminal.outOfService', terminal: device.name },
    ...device.lines.map((address): DeviceEventBody => ({ type, address, terminal: device.name })),
  ];
}

/**
 * What a configuration change means to the CTI layer, in order: new lines and devices appear first
 * (a line before the devices it is added to), restrictions change, associations come and go, and
 * removed devices and lines disappear last (after their associations).
 */
export function configChangeEvents(before: SwitchConfig, after: SwitchConfig): DeviceEventBody[] {
  const events: DeviceEventBody[] = [];
  const oldLines = new Map(before.lines.map((line) => [line.dn, line]));
  const newLines = new Map(after.lines.map((line) => [line.dn, line]));
  const oldDevices = new Map(before.devices.map((device) => [device.name, device]));
  const newDevices = new Map(after.devices.map((device) => [device.name, device]));

  for (const dn of newLines.keys()) if (!oldLines.has(dn)) events.push({ type: 'address.created', address: dn });
  for (const name of newDevices.keys())
    if (!oldDevices.has(name)) events.push({ type: 'terminal.created', terminal: name });

  for (const [dn, line] of newLines) {
    const old = oldLines.get(dn);
    const wasAllowed = old === undefined ? true : old.allowCtiControl !== false;
    const allowed = line.allowCtiControl !== false;
    if (wasAllowed !== allowed)
      events.push({ type: allowed ? 'address.activated' : 'address.restricted', address: dn });
  }
  for (const [name, device] of newDevices) {
    const old = oldDevices.get(name);
    const wasAllowed = old === undefined ? true : old.allowCtiControl !== false;
    const allowed = device.allowCtiControl !== false;
    if (wasAllowed !== allowed)
      events.push({ type: allowed ? 'terminal.activated' : 'terminal.restricted', terminal: name });
  }

  for (const [name, device] of newDevices) {
    const oldLinesOfDevice = new Set(oldDevices.get(name)?.lines ?? []);
    for (const dn of device.lines)
      if (!oldLinesOfDevice.has(dn)) events.push({ type: 'address.addedToTerminal', address: dn, terminal: name });
  }
  for (const [name, device] of oldDevices) {
    const newLinesOfDevice = new Set(newDevices.get(name)?.lines ?? []);
    for (const dn of device.lines)
      if (!newLinesOfDevice.has(dn)) events.push({ type: 'address.removedFromTerminal', address: dn, terminal: name });
  }

  for (const name of oldDevices.keys())
    if (!newDevices.has(name)) events.push({ type: 'terminal.removed', terminal: name });
  for (const dn of oldLines.keys()) if (!newLines.has(dn)) events.push({ type: 'address.removed', address: dn });
  return events;
}
