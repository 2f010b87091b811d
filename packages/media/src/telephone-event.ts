/**
 * DTMF as RTP telephone-events (RFC 4733 §2.3):
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |     event     |E|R| volume    |          duration             |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * An event is one key press. All its packets carry the RTP timestamp of its start; the first has the
 * marker bit; each update carries the duration so far; the last has the E bit and is sent three
 * times (§2.5.1.4), so a receiver sees several packets for one digit and must report it once.
 */

/** The sixteen DTMF keys, in RFC 4733's event-code order (§3.2: 0–9, *, #, A–D). */
export const dtmfDigits = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#', 'A', 'B', 'C', 'D'] as const;
export type DtmfDigit = (typeof dtmfDigits)[number];

export function isDtmfDigit(value: string): value is DtmfDigit {
  return (dtmfDigits as readonly string[]).includes(value);
}

export interface TelephoneEvent {
  /** The event code; 0–15 are the DTMF keys. */
  readonly event: number;
  readonly end: boolean;
  /** Power level of the tone in dBm0, without the sign (0–63). */
  readonly volume: number;
  /** Duration so far in RTP timestamp units (1/8000 s at telephony's rate). */
  readonly duration: number;
}

export const telephoneEventLength = 4;
const endBit = 0x80;
const volumeMask = 0x3f;
/** The rtpmap name of the payload and the dynamic payload type most peers use for it. */
export const telephoneEventName = 'telephone-event';
export const defaultTelephoneEventPayloadType = 101;

export function encodeTelephoneEventInto(event: TelephoneEvent, out: Uint8Array, offset = 0): number {
  out[offset] = event.event & 0xff;
  out[offset + 1] = (event.end ? endBit : 0) | (event.volume & volumeMask);
  out[offset + 2] = (event.duration >>> 8) & 0xff;
  out[offset + 3] = event.duration & 0xff;
  return telephoneEventLength;
}

export function encodeTelephoneEvent(event: TelephoneEvent): Uint8Array {
  const out = new Uint8Array(telephoneEventLength);
  encodeTelephoneEventInto(event, out);
  return out;
}

/** Reads the first event of a payload; undefined when it is too short to be one. */
export function decodeTelephoneEvent(payload: Uint8Array): TelephoneEvent | undefined {
  if (payload.length < telephoneEventLength) return undefined;
  return {
    event: payload[0]!,
    end: (payload[1]! & endBit) !== 0,
    volume: payload[1]! & volumeMask,
    duration: (payload[2]! << 8) | payload[3]!,
  };
}

/** Default tone length, inter-digit pause and level of generated digits (ITU-T Q.24 asks ≥ 40 ms). */
export const defaultDigitMs = 100;
export const defaultDigitGapMs = 60;
export const defaultDigitVolume = 10;
/** RFC 4733 §2.5.1.4: the final packet of an event is sent three times. */
const endRepeats = 3;

/**
 * The packets of one key press, one per 20 ms frame: updates with the growing duration, the last
 * with the E bit, repeated three times in all. The sender gives them all the RTP timestamp of the
 * first frame and sets the marker bit on the first (§2.5.1.2).
 */
export function telephoneEventFrames(
  digit: DtmfDigit,
  options: { durationMs?: number; volume?: number; samplesPerFrame?: number } = {},
): TelephoneEvent[] {
  const samplesPerFrame = options.samplesPerFrame ?? 160;
  const frameMs = (samplesPerFrame / 8000) * 1000;
  const frames = Math.max(2, Math.round((options.durationMs ?? defaultDigitMs) / frameMs));
  const event = dtmfDigits.indexOf(digit);
  const volume = options.volume ?? defaultDigitVolume;
  const out: TelephoneEvent[] = [];
  for (let frame = 1; frame < frames; frame++) {
    out.push({ event, end: false, volume, duration: frame * samplesPerFrame });
  }
  for (let repeat = 0; repeat < endRepeats; repeat++) {
    out.push({ event, end: true, volume, duration: frames * samplesPerFrame });
  }
  return out;
}

/** How many recent events a receiver remembers, so a late or repeated packet of one cannot report it twice. */
const rememberedEvents = 16;
/** The 16-bit duration field's limit: a longer event continues in a new segment (§2.5.1.3). */
const maxDuration = 0xffff;

interface EventState {
  readonly timestamp: number;
  readonly event: number;
  duration: number;
  ended: boolean;
}

/** A digit a receiver reports: the key and the RTP timestamp its event started at. */
export interface ReceivedDigit {
  readonly digit: DtmfDigit;
  readonly timestamp: number;
}

/**
 * Turns the telephone-event packets of one RTP stream into key presses, each reported once: at the
 * first packet of an event (whether that is the marked start, an update after the start was lost,
 * or only an end packet), never again for its updates, its three end packets, or a late packet of
 * an event already over. A long press that outlasts the 16-bit duration continues in a new event
 * that starts where the last ended (§2.5.1.3) and is not a new key press.
 */
export class TelephoneEventReceiver {
  readonly #recent: EventState[] = [];

  receive(timestamp: number, payload: Uint8Array): ReceivedDigit | undefined {
    const decoded = decodeTelephoneEvent(payload);
    if (decoded === undefined || decoded.event >= dtmfDigits.length) return undefined;
    const known = this.#recent.find((state) => state.timestamp === timestamp);
    if (known !== undefined) {
      known.duration = Math.max(known.duration, decoded.duration);
      known.ended ||= decoded.end;
      return undefined;
    }
    const last = this.#recent[this.#recent.length - 1];
    const state: EventState = { timestamp, event: decoded.event, duration: decoded.duration, ended: decoded.end };
    this.#remember(state);
    if (last !== undefined && this.#continues(last, state)) return undefined;
    return { digit: dtmfDigits[decoded.event]!, timestamp };
  }

  /** A segment of a long event: same key, the previous segment at its maximum length and unfinished. */
  #continues(previous: EventState, next: EventState): boolean {
    const gap = (next.timestamp - previous.timestamp) >>> 0;
    return previous.event === next.event && previous.duration >= maxDuration - 160 && gap <= maxDuration + 160;
  }

  #remember(state: EventState): void {
    this.#recent.push(state);
    if (this.#recent.length > rememberedEvents) this.#recent.shift();
  }
}
