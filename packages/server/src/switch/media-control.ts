import { ErrorCode, StrowgerError, type Logger } from '../core/index.js';
import type { CallContext, Conference, LegEntry } from './call-context.js';
import { progressCauses } from './causes.js';
import type { SwitchDevice } from './config.js';
import {
  releaseCauses,
  type DeviceDriver,
  type LegId,
  type MediaEndpoint,
  type MediaResources,
  type ReleaseCause,
  type SessionDescription,
} from './ports.js';

/** What music on hold and the conference bridge need of the engine. */
export interface MediaControlHost {
  readonly media: MediaResources | undefined;
  readonly logger: Logger;
  driverFor(device: SwitchDevice): DeviceDriver;
  /** Whether a leg is still in its call (it may have left while media was being set up). */
  holds(entry: LegEntry): boolean;
  /** Releases a party, as if its device had left. */
  release(leg: LegId, cause: ReleaseCause): void;
}

/**
 * The server's media in calls: music on hold for a held party, and the ports of a conference bridge
 * that each party talks through. The engine decides when; this connects devices to endpoints.
 */
export class MediaControl {
  readonly #host: MediaControlHost;

  constructor(host: MediaControlHost) {
    this.#host = host;
  }

  /**
   * Puts the peer on music on hold: the held party's device is offered the music endpoint, and the
   * holding phone's offer is answered by that endpoint (it receives nothing the phone sends). Returns
   * undefined, for the offer to be passed through instead, when there is no music to play or the
   * holding phone's offer has no usable codec.
   */
  async holdWithMusic(
    context: CallContext,
    holder: LegEntry,
    held: LegEntry,
    offer: SessionDescription,
  ): Promise<SessionDescription | undefined> {
    if (this.#host.media === undefined) return undefined;
    let endpoint: MediaEndpoint;
    try {
      endpoint = await this.#host.media.musicOnHold();
    } catch (error) {
      this.#host.logger.warn({ err: error, callId: context.call.id }, 'no music on hold; the held party hears silence');
      return undefined;
    }
    const answer = endpoint.answer(offer, 'recvonly', this.serverAddressFor(holder));
    if (answer === undefined) {
      endpoint.close();
      return undefined;
    }
    try {
      endpoint.accept(
        await this.#host
          .driverFor(held.device)
          .updateMedia(held.terminalConnection.leg, endpoint.offer('sendonly', this.serverAddressFor(held))),
      );
    } catch (error) {
      endpoint.close();
      throw error;
    }
    if (!this.#host.holds(holder)) {
      endpoint.close();
      throw new StrowgerError(ErrorCode.NotFound, 'the call ended while it was being put on hold');
    }
    context.musicOnHold = { holder, endpoint };
    if (holder.terminalConnection.state === 'TALKING') holder.terminalConnection.setState('HELD');
    return answer;
  }

  /** In a conference a party's new offer is answered by its own bridge endpoint; hold stops the party hearing it. */
  answerInConference(
    conference: Conference,
    entry: LegEntry,
    offer: SessionDescription,
    hold: 'hold' | 'resume' | 'unknown',
  ): SessionDescription {
    const endpoint = conference.endpoints.get(entry);
    const answer = endpoint?.answer(offer, hold === 'hold' ? 'recvonly' : 'sendrecv', this.serverAddressFor(entry));
    if (answer === undefined) {
      throw new StrowgerError(ErrorCode.InvalidArgument, 'the conference bridge cannot take this session description');
    }
    const tc = entry.terminalConnection;
    if (hold === 'hold' && tc.state === 'TALKING') tc.setState('HELD');
    else if (hold === 'resume' && tc.state === 'HELD') tc.setState('TALKING', progressCauses.unhold);
    return answer;
  }

  /** The server address a party's device reaches, where the server's media for it is described. */
  serverAddressFor(entry: LegEntry): string | undefined {
    return this.#host.driverFor(entry.device).serverAddress?.(entry.terminalConnection.leg);
  }

  /** The held party no longer hears the music: its endpoint closes. */
  stopMusic(context: CallContext): void {
    context.musicOnHold?.endpoint.close();
    context.musicOnHold = undefined;
  }

  /** The conference is over: every bridge port closes, and the bridge. */
  closeConference(context: CallContext): void {
    const conference = context.conference;
    if (conference === undefined) return;
    context.conference = undefined;
    for (const endpoint of conference.endpoints.values()) endpoint.close();
    conference.bridge.close();
  }

  /** Connects one party's device to a port of the bridge; a device that refuses is released. */
  async bridgeParty(context: CallContext, conference: Conference, party: LegEntry): Promise<void> {
    let endpoint: MediaEndpoint | undefined;
    try {
      endpoint = await conference.bridge.join();
      const answer = await this.#host
        .driverFor(party.device)
        .updateMedia(party.terminalConnection.leg, endpoint.offer('sendrecv', this.serverAddressFor(party)));
      if (context.ended || context.conference !== conference) throw new Error('the conference ended meanwhile');
      endpoint.accept(answer);
      conference.endpoints.set(party, endpoint);
      if (party.terminalConnection.state === 'HELD')
        party.terminalConnection.setState('TALKING', progressCauses.conference);
    } catch (error) {
      endpoint?.close();
      if (context.ended || context.conference !== conference) return;
      this.#host.logger.warn({ err: error, callId: context.call.id }, 'a party could not join the conference bridge');
      this.#host.release(party.terminalConnection.leg, releaseCauses.rejected);
    }
  }
}
