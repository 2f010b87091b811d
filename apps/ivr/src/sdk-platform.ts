import type { Logger } from '@strowger/core';
import { openProvider, type Provider, type RouteSession } from '@strowger/sdk';
import { MediaPort, type PortCall } from '@strowger/sdk/node';
import type { IvrConfig, RoutePointConfig } from './config-schema.js';
import type { IvrSecrets, PlatformFactory } from './main.js';
import type { IvrCall, IvrPlatform, IvrPort, RedirectReason, RouteRequest } from './platform.js';
import { AudioCache, RtpCallMedia } from './rtp-call-media.js';

const redirectReasons: ReadonlySet<string> = new Set([
  'forward-all',
  'forward-busy',
  'forward-no-answer',
  'forward-unregistered',
  'redirect',
]);

/** The server's redirect reason in the IVR's words; a transfer or a CTI-failure forward reads as a redirect. */
function redirectReason(reason: string | undefined): RedirectReason | undefined {
  if (reason === undefined) return undefined;
  return (redirectReasons.has(reason) ? reason : 'redirect') as RedirectReason;
}

/**
 * A route session as the dispatcher sees it; `ended` settles at the session's RouteEndEv. `called` is
 * the route point's own number (the pilot the call reached): the session's calledAddress is what the
 * caller dialled, which for a forwarded call is the line that forwarded it.
 */
function routeRequest(session: RouteSession, routePoint: RoutePointConfig, ended: Promise<void>): RouteRequest {
  const reason = redirectReason(session.redirectReason);
  const originalCalled = session.originalCalledAddress;
  return {
    sessionId: session.id,
    callId: session.callId,
    routePoint: routePoint.name,
    calling: session.callingAddress,
    called: routePoint.number,
    ...(originalCalled !== '' && originalCalled !== routePoint.number ? { originalCalled } : {}),
    ...(session.lastRedirectedAddress === undefined ? {} : { lastRedirected: session.lastRedirectedAddress }),
    ...(reason === undefined ? {} : { reason }),
    selectRoute: async (destinations) => {
      await session.selectRoute(destinations);
    },
    endRoute: () => session.endRoute(),
    ended,
  };
}

/** A port's call as an `IvrCall`: its media through `RtpCallMedia`, ended when the call leaves the port. */
function ivrCall(portCall: PortCall, port: { dn: string }, cache: AudioCache): IvrCall {
  const media = new RtpCallMedia(portCall.media, cache);
  const ended = portCall.ended.then(() => media.end());
  const { call } = portCall;
  const callingName = call.callingName ?? undefined;
  return {
    id: portCall.callId,
    calling: call.callingAddress?.name ?? '',
    ...(callingName === undefined ? {} : { callingName }),
    called: port.dn,
    play: (files, options) => media.play(files, options),
    collectDigits: (options) => media.collectDigits(options),
    record: (file, options) => media.record(file, options),
    clearDigits: () => media.clearDigits(),
    transfer: (destination) => portCall.transfer(destination),
    hangup: () => portCall.hangup(),
    ended,
  };
}

/** One registered CTI port, its service state followed from the provider's terminal events. */
function ivrPort(provider: Provider, mediaPort: MediaPort, dn: string, cache: AudioCache, logger: Logger): IvrPort {
  const serviceHandlers: ((inService: boolean) => void)[] = [];
  const name = mediaPort.terminal.name;
  provider.on('providerEvent', (event) => {
    if (event.type !== 'CiscoTermInServiceEv' && event.type !== 'CiscoTermOutOfServiceEv') return;
    if (!('name' in event) || event.name !== name) return;
    for (const handler of serviceHandlers) handler(event.type === 'CiscoTermInServiceEv');
  });
  return {
    name,
    dn,
    get inService() {
      return mediaPort.terminal.inService;
    },
    onCall(handler) {
      mediaPort.onCall((portCall) => {
        try {
          handler(ivrCall(portCall, { dn }, cache));
        } catch (error) {
          logger.error({ err: error, port: name }, 'a port call could not be handed to the IVR');
        }
      });
    },
    onServiceChange(handler) {
      serviceHandlers.push(handler);
    },
  };
}

/**
 * The IVR's platform over the SDK: a provider opened as the application user, every configured CTI
 * port opened as a `MediaPort` (static registration on `media.address`; the IVR plays and records its
 * RTP), and a route callback on every route point's number. The route select timeout is how long a
 * caller may wait at a route point for a port (`queue.maxWaitSeconds`); after it the route point
 * line's forward no answer takes the call.
 */
export async function openSdkPlatform(
  config: IvrConfig,
  secrets: IvrSecrets,
  logger: Logger,
): Promise<IvrPlatform & { close(): Promise<void> }> {
  const provider = await openProvider({
    servers: config.cti.servers,
    user: config.cti.user,
    password: secrets.ctiPassword,
    appInfo: 'strowger-ivr',
    logger,
  });
  const mediaPorts: MediaPort[] = [];
  const close = async () => {
    for (const port of mediaPorts) await port.close();
    await provider.shutdown();
  };
  try {
    const cache = new AudioCache();
    const ports: IvrPort[] = [];
    for (const port of config.ports) {
      const mediaPort = await MediaPort.open(provider, port.name, { address: config.media.address });
      mediaPorts.push(mediaPort);
      ports.push(ivrPort(provider, mediaPort, port.dn, cache, logger));
    }
    const routeHandlers: ((request: RouteRequest) => void)[] = [];
    // Route points are registered before the application has loaded its mailboxes: the calls that
    // come meanwhile wait here for it rather than be lost.
    const early: RouteRequest[] = [];
    const sessionEnds = new Map<string, () => void>();
    for (const routePoint of config.routePoints) {
      const { active } = await provider.getAddress(routePoint.number).registerRouteCallback(
        {
          routeEvent(session) {
            const ended = new Promise<void>((resolve) => sessionEnds.set(session.id, resolve));
            const request = routeRequest(session, routePoint, ended);
            if (routeHandlers.length === 0) early.push(request);
            for (const handler of routeHandlers) handler(request);
          },
          routeEndEvent(session) {
            sessionEnds.get(session.id)?.();
            sessionEnds.delete(session.id);
          },
          routeCallbackEndedEvent() {
            // The callback is gone (the route point unregistered, the connection lost): no session
            // of it will end by itself any more.
            for (const session of provider.getAddress(routePoint.number).activeRouteSessions) {
              sessionEnds.get(session.id)?.();
              sessionEnds.delete(session.id);
            }
          },
          routeCallbackActivatedEvent() {
            logger.info({ routePoint: routePoint.name }, 'the active instance went away: this one routes now');
          },
        },
        { routeSelectTimeoutMs: config.queue.maxWaitSeconds * 1000 },
      );
      logger.info(
        { routePoint: routePoint.name, number: routePoint.number, active },
        active ? 'routing the route point' : 'standing by for the route point (another instance routes it)',
      );
    }
    return {
      ports,
      onRouteRequest(handler) {
        routeHandlers.push(handler);
        for (const request of early.splice(0)) handler(request);
      },
      setMessageWaiting: (dn, waiting) => provider.getAddress(dn).setMessageWaiting(waiting),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

export const sdkPlatform: PlatformFactory = openSdkPlatform;
