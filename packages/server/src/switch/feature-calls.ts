import type { Logger } from '../core/index.js';
import { holdIntent, type CallContext, type LegEntry } from './call-context.js';
import type { TerminalConnection } from './call-model.js';
import { progressCauses } from './causes.js';
import type { FeatureName } from './config.js';
import {
  releaseCauses,
  type DeviceDriver,
  type FeatureServices,
  type FeatureSession,
  type LegId,
  type MidCallInfo,
  type ReleaseCause,
  type SessionDescription,
} from './ports.js';

/** What answering feature codes needs of the engine. */
export interface FeatureCallsHost {
  readonly features: FeatureServices | undefined;
  readonly logger: Logger;
  readonly legs: ReadonlyMap<LegId, LegEntry>;
  now(): number;
  /** The server address the leg's device reaches, where the feature's media is described. */
  serverAddressFor(entry: LegEntry): string | undefined;
  /** The call reached its destination: the origin's connection is ESTABLISHED (routing's originReached). */
  originReached(context: CallContext): void;
  fail(context: CallContext, cause: ReleaseCause): void;
  end(context: CallContext, cause: ReleaseCause, by: 'caller' | 'callee' | 'system'): void;
  command(terminalConnection: TerminalConnection, run: (driver: DeviceDriver) => void): void;
  /** Runs after the engine's current state change, as a driver command does. */
  later(run: () => void): void;
  flush(): void;
}

/**
 * Calls to a feature code (Extension Mobility login and logout): the server answers them itself, as
 * it answers the conference number — the feature code is a connection with no terminal, ESTABLISHED,
 * and the caller talks to a session of the server's feature services (prompts, digits). The engine
 * knows only that a feature answered; what the feature does lives behind the FeatureServices port.
 */
export class FeatureCalls {
  readonly #host: FeatureCallsHost;

  constructor(host: FeatureCallsHost) {
    this.#host = host;
  }

  /** The call reached a feature code: the feature is started, and answers the caller's offer. */
  open(context: CallContext, feature: FeatureName, number: string): void {
    const features = this.#host.features;
    const offer = context.offer;
    const origin = this.#host.legs.get(context.origin.leg);
    // A feature answers an offer; a call without one (or moved here by a transfer) cannot reach it.
    if (features === undefined || offer === undefined || context.originConnected || origin === undefined) {
      this.#host.fail(context, releaseCauses.unavailable);
      return;
    }
    this.#host.originReached(context);
    const connection = context.call.addConnection(number, 'terminating', context.routeReason);
    connection.setState('ESTABLISHED');
    context.destination = connection;
    const call = {
      callId: context.call.id,
      feature,
      device: origin.device.name,
      line: context.origin.connection.address,
      dialled: number,
      offer,
      hangUp: () => {
        if (context.ended) return;
        this.#host.end(context, releaseCauses.normal, 'callee');
        this.#host.flush();
      },
    };
    this.#host.later(() => {
      this.#answer(context, origin, offer, features.open(call)).catch((error: unknown) => {
        this.#host.logger.error({ err: error, callId: context.call.id }, 'answering a feature code failed');
      });
    });
  }

  /** A new offer from the caller (hold, resume, codec change) is answered by the feature's session. */
  updateMedia(context: CallContext, entry: LegEntry, offer: SessionDescription): SessionDescription {
    const session = context.feature;
    const hold = holdIntent(offer);
    const answer = session?.answer(
      offer,
      hold === 'hold' ? 'recvonly' : 'sendrecv',
      this.#host.serverAddressFor(entry),
    );
    if (answer === undefined) throw new Error('the feature cannot take this session description');
    const tc = entry.terminalConnection;
    if (hold === 'hold' && tc.state === 'TALKING') tc.setState('HELD');
    else if (hold === 'resume' && tc.state === 'HELD') tc.setState('TALKING', progressCauses.unhold);
    return answer;
  }

  /** Mid-call information (DTMF as SIP INFO) goes to the feature; 200 while it is not answered yet. */
  info(context: CallContext, info: MidCallInfo): number {
    return context.feature?.info(info) ?? 200;
  }

  /** The call is over: the feature's session stops. */
  close(context: CallContext): void {
    context.feature?.close();
    context.feature = undefined;
  }

  async #answer(
    context: CallContext,
    origin: LegEntry,
    offer: SessionDescription,
    opening: Promise<FeatureSession>,
  ): Promise<void> {
    let session: FeatureSession | undefined;
    try {
      session = await opening;
    } catch (error) {
      this.#host.logger.warn({ err: error, callId: context.call.id }, 'a feature could not be started');
    }
    if (context.ended) {
      session?.close();
      return;
    }
    const answer = session?.answer(offer, 'sendrecv', this.#host.serverAddressFor(origin));
    if (session === undefined || answer === undefined) {
      session?.close();
      this.#host.fail(context, session === undefined ? releaseCauses.congestion : releaseCauses.rejected);
      this.#host.flush();
      return;
    }
    context.feature = session;
    const now = this.#host.now();
    context.call.answeredAt = now;
    context.legAnsweredAt = now;
    context.originConnected = true;
    this.#host.command(context.origin, (driver) =>
      driver.connected(context.origin.leg, { answer, connectedParty: { number: context.called } }),
    );
    this.#host.flush();
  }
}
