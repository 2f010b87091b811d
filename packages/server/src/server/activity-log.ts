import type { Logger, TypedEmitter } from '../core/index.js';
import type { RegistrationTable } from '../devices/sip/index.js';
import type { CallEvent, SwitchEvents } from '../switch/index.js';

/**
 * One log line per thing an operator watches for, so that tailing the log (`journalctl -f`) tells
 * what happened: registrations (a refresh only at debug) and each call's start, answer, transfer
 * and end, with the call id, the parties and the cause. Built from the engine's and the registrar's
 * events here in the composition root; the engine itself does no logging of its own for this.
 */
export function logActivity(options: {
  calls: TypedEmitter<SwitchEvents>;
  registrations: RegistrationTable;
  logger: Logger;
}): () => void {
  const { logger, registrations } = options;
  const bindingCounts = new Map<string, number>();
  const describeBindings = (deviceName: string) =>
    registrations.bindings(deviceName).map((binding) => ({
      contact: binding.contactText,
      source: `${binding.source.protocol}:${binding.source.address}:${binding.source.port}`,
      ...(binding.userAgent === undefined ? {} : { userAgent: binding.userAgent }),
      expiresInSeconds: Math.max(0, Math.round((binding.expiresAt - Date.now()) / 1000)),
    }));
  const offs = [
    registrations.events.on('changed', ({ deviceName }) => {
      const before = bindingCounts.get(deviceName) ?? 0;
      const after = registrations.bindings(deviceName).length;
      if (after === 0) bindingCounts.delete(deviceName);
      else bindingCounts.set(deviceName, after);
      if (before > 0 && after > 0) {
        logger.debug({ device: deviceName, bindings: describeBindings(deviceName) }, 'registration refreshed');
      }
    }),
    registrations.events.on('registered', ({ deviceName }) => {
      logger.info({ device: deviceName, bindings: describeBindings(deviceName) }, 'device registered');
    }),
    registrations.events.on('unregistered', ({ deviceName, reason }) => {
      logger.info(
        { device: deviceName, cause: reason },
        `device ${reason === 'expired' ? 'registration expired' : 'unregistered'}`,
      );
    }),
  ];

  const calls = new Map<string, CallProgress>();
  offs.push(
    options.calls.on('call', (event) => {
      let call = calls.get(event.callId);
      if (call === undefined) {
        call = { startedAt: event.at, answered: false, started: false };
        calls.set(event.callId, call);
      }
      onCallEvent(event, call, logger);
      if (event.type === 'call.state' && event.state === 'INVALID') calls.delete(event.callId);
    }),
  );
  return () => {
    for (const off of offs) off();
  };
}

interface CallProgress {
  startedAt: number;
  answered: boolean;
  started: boolean;
}

function onCallEvent(event: CallEvent, call: CallProgress, logger: Logger): void {
  const id = event.callId;
  switch (event.type) {
    case 'connection.created':
      // The caller's connection comes first; the call has started once a called party appears.
      if (!call.started && event.address !== event.callingAddress) {
        call.started = true;
        logger.info(
          { call: id, from: event.callingAddress, to: event.calledAddress, offeredTo: event.address },
          'call started',
        );
      }
      return;
    case 'connection.state':
      if (event.state === 'ESTABLISHED' && !call.answered && event.address !== event.callingAddress) {
        call.answered = true;
        logger.info({ call: id, from: event.callingAddress, to: event.address }, 'call answered');
      }
      return;
    case 'call.transferEnd':
      // A consult transfer reports to both calls; the line belongs to the call the parties end up in.
      if (event.callId !== event.finalCallId) return;
      logger.info(
        {
          call: id,
          transferredCall: event.transferredCallId,
          transferredBy: event.controllerAddress,
          from: event.currentCallingAddress,
          to: event.currentCalledAddress,
          // TRANSFER (consult) or BLINDTRANSFER: CiscoCallEv's feature reason.
          cause: event.featureReason,
        },
        'call transferred',
      );
      return;
    case 'call.conferenceEnd':
      if (event.callId !== event.finalCallId) return;
      logger.info(
        { call: id, consultCall: event.consultCallId, conferencedBy: event.controllerAddress },
        'call conferenced',
      );
      return;
    case 'call.state':
      if (event.state !== 'INVALID') return;
      logger.info(
        {
          call: id,
          from: event.callingAddress,
          to: event.currentCalledAddress,
          dialled: event.calledAddress,
          answered: call.answered,
          cause: event.callControlCause ?? event.cause,
          q850: event.ciscoCause,
          durationMs: event.at - call.startedAt,
        },
        'call ended',
      );
      return;
    default:
      return;
  }
}
