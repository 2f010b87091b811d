import { ErrorCode, StrowgerError } from '../../core/index.js';
import type { CallContext } from '../call-context.js';
import type { SwitchDevice, SwitchLine } from '../config.js';
import type { Directory } from '../directory.js';
import type { CallLookup } from './call-refs.js';

/**
 * What a directed pickup acts on (JTAPI CallControlTerminal.pickup): the call ringing at
 * `pickupAddress`, and the picking device and line — checked: the device has the line, a call rings
 * there, the device did not make that call, and it is in service.
 */
export function pickupTarget(
  host: CallLookup & { readonly directory: Directory; inService(device: SwitchDevice): boolean },
  request: { device: string; line: string; pickupAddress: string },
): { context: CallContext; device: SwitchDevice; line: SwitchLine } {
  const device = host.directory.devices.get(request.device);
  const line = host.directory.lines.get(request.line);
  if (device === undefined || line === undefined || !device.lines.includes(request.line)) {
    throw new StrowgerError(ErrorCode.NotFound, `device ${request.device} has no line ${request.line}`);
  }
  const context = [...host.calls.values()].find(
    (candidate) =>
      !candidate.ended &&
      candidate.offered.some((connection) => connection.address === request.pickupAddress && connection.isLive),
  );
  if (context === undefined) {
    throw new StrowgerError(
      ErrorCode.InvalidState,
      `no call is ringing at ${request.pickupAddress} now; there is nothing to pick up`,
    );
  }
  if (context.origin.terminal === device.name) {
    throw new StrowgerError(ErrorCode.InvalidArgument, `${device.name} made this call; it cannot pick it up`);
  }
  if (!host.inService(device)) {
    throw new StrowgerError(ErrorCode.ResourceUnavailable, `${device.name} is out of service (not registered)`, {
      details: { ciscoError: 'DEVICE_OUT_OF_SERVICE' },
    });
  }
  return { context, device, line };
}

/**
 * What a group pickup acts on (JTAPI CallControlTerminal.pickupFromGroup, CUCM's group pickup): of
 * the calls ringing at other lines of the requesting line's call pickup group, the one that has
 * rung longest — checked as a directed pickup is.
 */
export function groupPickupTarget(
  host: CallLookup & { readonly directory: Directory; inService(device: SwitchDevice): boolean },
  request: { device: string; line: string },
): { context: CallContext; device: SwitchDevice; line: SwitchLine } {
  const line = host.directory.lines.get(request.line);
  const group = line?.pickupGroup;
  if (line !== undefined && group === undefined) {
    throw new StrowgerError(
      ErrorCode.InvalidState,
      `line ${request.line} is in no call pickup group; give it and its neighbours the same pickupGroup`,
    );
  }
  const members = new Set(
    [...host.directory.lines.values()].filter((l) => l.pickupGroup === group && l.dn !== request.line).map((l) => l.dn),
  );
  const ringing = [...host.calls.values()]
    .filter((context) => !context.ended && context.origin.terminal !== request.device)
    .flatMap((context) =>
      context.offered
        .filter((connection) => connection.isLive && members.has(connection.address))
        .map((connection) => ({ context, address: connection.address })),
    )
    .sort((a, b) => a.context.legStartedAt - b.context.legStartedAt)[0];
  if (ringing === undefined) {
    throw new StrowgerError(
      ErrorCode.InvalidState,
      `no call is ringing in ${request.line}'s pickup group ${group ?? ''} now; there is nothing to pick up`,
    );
  }
  return pickupTarget(host, { ...request, pickupAddress: ringing.address });
}
