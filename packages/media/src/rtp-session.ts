import {
  ErrorCode,
  StrowgerError,
  TypedEmitter,
  silentLogger,
  systemClock,
  type Clock,
  type Logger,
} from '@strowger/core';
import { loadPrompt, type AudioSource } from './audio-source.js';
import { decodeG711, g711PayloadType, g711Silence, type G711Law } from './g711.js';
import { InbandDtmfDetector } from './inband-dtmf.js';
import { JitterBuffer } from './jitter-buffer.js';
import { PacingClock, monotonicClock, samplesPerFrame } from './pacing-clock.js';
import { decodeRtcp, encodeRtcp, type RtcpPacket } from './rtcp-packet.js';
import { RtcpReporter } from './rtcp-reporter.js';
import { decodeRtp, type RtpPacket } from './rtp-packet.js';
import { RtpReceiverStatistics } from './rtp-statistics.js';
import { RtpSender } from './rtp-sender.js';
import { randomUint32 } from './host.js';
import { Prompt, PromptQueue, type PlayOptions, type PlayResult } from './prompt-queue.js';
import { Recording, defaultMaxRecordSeconds, type RecordOptions, type RecordResult } from './recording.js';
import { DigitSender, type SendDigitsOptions } from './digit-sender.js';
import {
  TelephoneEventReceiver,
  defaultTelephoneEventPayloadType,
  isDtmfDigit,
  type DtmfDigit,
} from './telephone-event.js';
import { sameAddress, type AudioFiles, type DatagramAddress, type DatagramTransport } from './transport.js';
import { writeWav } from './wav.js';
import { DigitCollector, type CollectDigitsOptions, type CollectDigitsResult } from './digit-collector.js';

export interface RtpSessionOptions {
  /** The transport RTP travels on. */
  readonly rtp: DatagramTransport;
  /** The transport RTCP travels on (by convention the RTP port + 1); without one, no RTCP is sent or read. */
  readonly rtcp?: DatagramTransport;
  /** Where to send RTP; without it, the session sends once the far end's first packet says where it is. */
  readonly remote?: DatagramAddress;
  /** Where to send RTCP (default: the remote RTP port + 1, then wherever the far end's RTCP comes from). */
  readonly remoteRtcp?: DatagramAddress;
  /**
   * Send to the address the far end's first RTP packet comes from (symmetric RTP, as a far end
   * behind NAT needs), at the start and after each connect(); default true.
   */
  readonly symmetric?: boolean;
  /** The G.711 law sent (default µ-law); both are understood on receipt, by payload type. */
  readonly law?: G711Law;
  /** The audio payload type sent (default the law's static type, 0 or 8). */
  readonly payloadType?: number;
  /** The negotiated telephone-event payload type (default 101). */
  readonly telephoneEventPayloadType?: number;
  /** Also detect DTMF tones in the received audio (for peers that do not send RFC 4733); default false. */
  readonly inbandDtmf?: boolean;
  /** Where prompts are read and recordings written by name; the Node.js entry gives the file system. */
  readonly files?: AudioFiles;
  /** Paces the frames; the process-wide default clock unless given. */
  readonly pacing?: PacingClock;
  /** Time and timers for arrival times, digit timeouts and RTCP (default: the host's, monotonic). */
  readonly clock?: Clock;
  /** Send silence while nothing plays, so the far end hears a steady stream (default true). */
  readonly sendSilence?: boolean;
  /** The RTCP report interval (default 5000 ms, randomised ±50 %). */
  readonly rtcpIntervalMs?: number;
  /** Packets the jitter buffer waits behind a gap before it gives the missing one up (default 3). */
  readonly jitterDepth?: number;
  /** The RTCP CNAME (default a random one). */
  readonly cname?: string;
  readonly logger?: Logger;
}

/** Where a key press came from: RFC 4733 events, in-band tones, or signalling beside the RTP (SIP INFO). */
export type DigitSource = 'rfc4733' | 'inband' | 'signalling';

/** Where and how to send, as the call's SDP (or the CTI media-started event) says. */
export interface MediaTarget {
  readonly address: string;
  readonly port: number;
  /** The far end's RTCP port (default: its RTP port + 1). */
  readonly rtcpPort?: number;
  readonly law?: G711Law;
  readonly payloadType?: number;
  readonly telephoneEventPayloadType?: number;
}

export interface RtpSessionEvents extends Record<string, unknown> {
  /** A key pressed at the far end, reported once per press. */
  digit: { digit: DtmfDigit; source: DigitSource };
  /** Audio received, in order, decoded: one frame per packet. */
  audio: { samples: Int16Array };
  /** The far end's RTP address changed (symmetric RTP). */
  remote: DatagramAddress;
  /** An RTCP compound packet from the far end. */
  rtcp: { packets: RtcpPacket[]; from: DatagramAddress };
  /** The session closed; `reason` says why. */
  closed: { reason: string };
}

export interface RtpSessionStats {
  readonly packetsSent: number;
  readonly octetsSent: number;
  readonly packetsReceived: number;
  readonly packetsLost: number;
  /** Interarrival jitter of the far end's stream, in ms. */
  readonly jitterMs: number;
  readonly late: number;
  readonly duplicates: number;
  /** Sequence numbers the jitter buffer stopped waiting for (lost, or later than its depth). */
  readonly gapsGivenUp: number;
}

let sharedPacing: PacingClock | undefined;
/** The process-wide pacing clock sessions use unless given one. */
export function defaultPacingClock(): PacingClock {
  sharedPacing ??= new PacingClock({ spreadStarts: true });
  return sharedPacing;
}

/**
 * One RTP media session: what an application needs to answer a call on a CTI port without writing
 * RTP. It sends a 20 ms G.711 frame on every tick of a drift-free pacing clock (the current
 * prompt, a digit being sent, or silence), takes the far end's packets through a jitter buffer,
 * reports DTMF from RFC 4733 events (and, if asked, from in-band tones), and sends RTCP reports.
 * play(), record() and collectDigits() are promises; a key press can end the first two.
 */
export class RtpSession {
  readonly #rtp: DatagramTransport;
  readonly #rtcp: DatagramTransport | undefined;
  readonly #emitter: TypedEmitter<RtpSessionEvents>;
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #files: AudioFiles | undefined;
  #law: G711Law;
  #payloadType: number;
  #eventPayloadType: number;
  readonly #symmetric: boolean;
  readonly #sendSilence: boolean;
  readonly #sender = new RtpSender();
  #silenceFrame: Uint8Array;
  /** Whether frames go out: from the start, until disconnect(). */
  #sending = true;
  /** Whether the next packet received sets the far end's address (symmetric RTP). */
  #latching: boolean;
  readonly #jitter: JitterBuffer<RtpPacket>;
  readonly #events = new TelephoneEventReceiver();
  readonly #inband: InbandDtmfDetector | undefined;
  readonly #digits: DigitCollector;
  readonly #reporter: RtcpReporter | undefined;
  readonly #stopPacing: () => void;
  #remote: DatagramAddress | undefined;
  #remoteRtcp: DatagramAddress | undefined;
  #rtcpLatched = false;
  #source: RtpReceiverStatistics | undefined;
  #frame = 0;
  /** Frames of telephone events to send, in place of audio. */
  readonly #digitSender = new DigitSender();
  /** The media time of the key being sent: all its packets carry it (RFC 4733 §2.5.1.2). */
  #eventStartSamples = 0;
  readonly #prompts = new PromptQueue();
  #recording: Recording | undefined;
  #closed: string | undefined;

  constructor(options: RtpSessionOptions) {
    this.#rtp = options.rtp;
    this.#rtcp = options.rtcp;
    this.#logger = options.logger ?? silentLogger;
    this.#emitter = new TypedEmitter(this.#logger);
    // Monotonic and sub-millisecond: arrival times feed the interarrival jitter (RFC 3550 A.8).
    this.#clock = options.clock ?? monotonicClock;
    this.#files = options.files;
    this.#law = options.law ?? 'pcmu';
    this.#payloadType = options.payloadType ?? g711PayloadType[this.#law];
    this.#eventPayloadType = options.telephoneEventPayloadType ?? defaultTelephoneEventPayloadType;
    this.#symmetric = options.symmetric ?? true;
    this.#latching = this.#symmetric;
    this.#sendSilence = options.sendSilence ?? true;
    this.#silenceFrame = new Uint8Array(samplesPerFrame).fill(g711Silence[this.#law]);
    this.#jitter = new JitterBuffer({ depth: options.jitterDepth ?? 3 });
    this.#inband = options.inbandDtmf === true ? new InbandDtmfDetector() : undefined;
    this.#digits = new DigitCollector(this.#clock);
    this.#remote = options.remote;
    this.#remoteRtcp = options.remoteRtcp ?? rtcpBeside(options.remote);
    this.#rtp.onDatagram = (data, from) => this.#receiveRtp(data, from);
    if (this.#rtcp !== undefined) {
      this.#rtcp.onDatagram = (data, from) => this.#receiveRtcp(data, from);
      this.#reporter = new RtcpReporter(
        {
          sender: this.#sender,
          source: () => this.#source,
          mediaSamplesNow: () => this.#frame * samplesPerFrame,
          send: (packets) => this.#sendRtcp(packets),
          cname: options.cname ?? `strowger-${randomUint32().toString(16)}`,
        },
        { clock: this.#clock, wallClock: systemClock, intervalMs: options.rtcpIntervalMs },
      );
    }
    this.#stopPacing = (options.pacing ?? defaultPacingClock()).subscribe((frame) => this.#tick(frame));
  }

  on<K extends keyof RtpSessionEvents>(event: K, listener: (payload: RtpSessionEvents[K]) => void): () => void {
    return this.#emitter.on(event, listener);
  }

  get local(): DatagramAddress {
    return this.#rtp.local;
  }

  get remote(): DatagramAddress | undefined {
    return this.#remote;
  }

  /** Points the stream at a (new) far end, as a re-INVITE or a CTI media event says. */
  set remote(remote: DatagramAddress | undefined) {
    this.#remote = remote;
    if (!this.#rtcpLatched) this.#remoteRtcp = rtcpBeside(remote);
  }

  /**
   * Starts sending to a far end, in the codec the call negotiated: what a CTI port does when its
   * media output starts (and again after a re-INVITE moves it or changes the codec). Prompts
   * playing carry on in the new codec.
   */
  connect(target: MediaTarget): void {
    this.remote = { address: target.address, port: target.port };
    if (target.rtcpPort !== undefined) {
      this.#remoteRtcp = { address: target.address, port: target.rtcpPort };
      this.#rtcpLatched = true;
    }
    if (target.law !== undefined) {
      this.#law = target.law;
      this.#silenceFrame = new Uint8Array(samplesPerFrame).fill(g711Silence[target.law]);
    }
    if (target.law !== undefined || target.payloadType !== undefined) {
      this.#payloadType = target.payloadType ?? g711PayloadType[this.#law];
    }
    if (target.telephoneEventPayloadType !== undefined) this.#eventPayloadType = target.telephoneEventPayloadType;
    this.#sending = true;
    this.#latching = this.#symmetric;
  }

  /**
   * Stops sending (the call went on hold, or ended while the port stays registered); the media clock
   * runs on, so a prompt keeps its place in time, and receiving goes on. connect() resumes.
   */
  disconnect(): void {
    this.#sending = false;
  }

  get ssrc(): number {
    return this.#sender.ssrc;
  }

  get closed(): boolean {
    return this.#closed !== undefined;
  }

  get stats(): RtpSessionStats {
    const jitter = this.#jitter.stats;
    const source = this.#source;
    return {
      packetsSent: this.#sender.packetsSent,
      octetsSent: this.#sender.octetsSent,
      packetsReceived: source?.received ?? 0,
      packetsLost: source === undefined ? 0 : Math.max(0, source.expected - source.received),
      jitterMs: ((source?.jitter ?? 0) / 8000) * 1000,
      late: jitter.late,
      duplicates: jitter.duplicates,
      gapsGivenUp: jitter.lost,
    };
  }

  /**
   * Plays audio to the far end and resolves when it has been sent, a key interrupts it, or the
   * signal aborts it. Prompts queue: a second play() starts when the first ends. A prompt that may
   * be interrupted and finds a key already pressed (typed ahead) ends at once, so a caller who
   * knows the menu need not listen to it.
   */
  async play(source: AudioSource, options: PlayOptions = {}): Promise<PlayResult> {
    this.#assertOpen('play');
    let prompt: Prompt | undefined;
    // The prompt takes its place in the queue now, in call order, and plays once its audio is read.
    const done = new Promise<PlayResult>((resolve, reject) => (prompt = new Prompt(options, resolve, reject)));
    const queued = prompt!;
    if (options.signal?.aborted === true) queued.finish('stopped');
    const typedAhead = [...this.#digits.pending].filter(isDtmfDigit).find((digit) => queued.interruptedBy(digit));
    if (typedAhead !== undefined) queued.finish('digit', typedAhead);
    this.#prompts.add(queued);
    if (queued.ended) return done;
    try {
      queued.audio = await loadPrompt(source, this.#files);
    } catch (error) {
      queued.fail(error as Error);
    }
    return done;
  }

  /**
   * Records the far end's audio until `maxSeconds`, `silenceSeconds` of silence, a key, or the
   * signal; with `file`, also writes it there as a WAV file (through the session's AudioFiles).
   */
  async record(file: string | undefined, options: RecordOptions = {}): Promise<RecordResult> {
    this.#assertOpen('record');
    if (this.#recording !== undefined) {
      throw new StrowgerError(
        ErrorCode.InvalidState,
        'record(): a recording is already running on this session; await it first',
      );
    }
    const maxSeconds = options.maxSeconds ?? defaultMaxRecordSeconds;
    if (!(maxSeconds > 0)) throw new StrowgerError(ErrorCode.InvalidArgument, 'record(): maxSeconds must be above 0');
    if (file !== undefined && this.#files === undefined) {
      throw new StrowgerError(
        ErrorCode.Unsupported,
        `record(): cannot write ${file}: this media session has no file access`,
      );
    }
    const result = await new Promise<RecordResult>((resolve, reject) => {
      const recording = new Recording(options, resolve, reject);
      if (recording.ended) return;
      recording.onEnd = () => (this.#recording = undefined);
      this.#recording = recording;
    });
    if (file !== undefined) await this.#files!.write(file, writeWav(result.samples, options.encoding ?? this.#law));
    return result;
  }

  /**
   * Collects key presses: digits typed ahead come first, then new ones, until `max` digits, the
   * terminator (not included), `timeout` ms without a first digit, or `interDigitTimeout` ms
   * between two.
   */
  async collectDigits(options: CollectDigitsOptions = {}): Promise<CollectDigitsResult> {
    this.#assertOpen('collectDigits');
    return this.#digits.collect(options);
  }

  /**
   * A key the far end signalled outside the RTP stream (SIP INFO with application/dtmf-relay, a CTI
   * event): it is reported, collected and interrupts prompts as a key the stream carried does.
   */
  signalledDigit(digit: DtmfDigit): void {
    if (this.#closed !== undefined) return;
    this.#digit(digit, 'signalling');
  }

  /** Forgets digits typed ahead. */
  clearDigits(): void {
    this.#digits.clear();
  }

  /**
   * Sends key presses as RFC 4733 telephone-events (in place of audio while they last); resolves
   * when the last end packet has gone.
   */
  async sendDigits(digits: string, options: SendDigitsOptions = {}): Promise<void> {
    this.#assertOpen('sendDigits');
    return this.#digitSender.enqueue(digits, options);
  }

  /**
   * Stops everything: pending play(), record(), collectDigits() and sendDigits() reject with
   * InvalidState naming the reason, and an RTCP BYE goes out. Closing twice is harmless.
   */
  close(reason = 'closed'): void {
    if (this.#closed !== undefined) return;
    this.#closed = reason;
    this.#stopPacing();
    this.#reporter?.goodbye();
    const error = new StrowgerError(ErrorCode.InvalidState, `the media session ended (${reason})`);
    this.#prompts.failAll(error);
    this.#recording?.fail(error);
    this.#digits.close(error);
    this.#digitSender.failAll(error);
    this.#rtp.onDatagram = undefined;
    this.#rtp.close();
    if (this.#rtcp !== undefined) {
      this.#rtcp.onDatagram = undefined;
      this.#rtcp.close();
    }
    this.#emitter.emit('closed', { reason });
  }

  #assertOpen(method: string): void {
    if (this.#closed !== undefined) {
      throw new StrowgerError(ErrorCode.InvalidState, `${method}(): the media session has ended (${this.#closed})`);
    }
  }

  /** One 20 ms frame: send what is due, and move the recording's clock. */
  #tick(frame: number): void {
    this.#frame = frame;
    const samples = frame * samplesPerFrame;
    this.#recording?.tick();
    const digit = this.#digitSender.next();
    if (digit !== undefined) {
      // A pause between keys is silence; a key's packets all carry its start (RFC 4733 §2.5.1.2).
      if (digit.kind === 'pause') this.#send(this.#payloadType, samples, this.#silenceFrame, false);
      else {
        if (digit.start) this.#eventStartSamples = samples;
        this.#send(this.#eventPayloadType, this.#eventStartSamples, digit.payload, digit.start);
      }
      this.#digitSender.sent();
      return;
    }
    const payload = this.#prompts.nextFrame(this.#law);
    if (payload !== undefined) return this.#send(this.#payloadType, samples, payload, false);
    if (this.#sendSilence) this.#send(this.#payloadType, samples, this.#silenceFrame, false);
  }

  #send(payloadType: number, samples: number, payload: Uint8Array, marker: boolean): void {
    const remote = this.#remote;
    if (remote === undefined || !this.#sending) return;
    // RFC 3550 §5.1: the marker bit marks the first packet of a talkspurt, here the stream's first.
    const first = this.#sender.packetsSent === 0;
    this.#rtp.send(this.#sender.packet(payloadType, samples, payload, marker || first), remote);
  }

  #receiveRtp(data: Uint8Array, from: DatagramAddress): void {
    const packet = decodeRtp(data);
    if (packet === undefined) return;
    if (this.#latching) {
      // Symmetric RTP: the first packet says where the far end really is (behind NAT, not where its
      // SDP said); later packets from elsewhere are not followed, so a stray sender cannot take over.
      this.#latching = false;
      if (!sameAddress(this.#remote, from)) {
        this.remote = { address: from.address, port: from.port };
        this.#emitter.emit('remote', this.#remote!);
      }
    }
    if (this.#source?.ssrc !== packet.ssrc) {
      // A new source (or a restarted one) starts afresh: ordering and statistics are per SSRC.
      this.#source = new RtpReceiverStatistics(packet.ssrc, packet.sequence);
      this.#jitter.reset();
    }
    this.#source.update(packet.sequence, packet.timestamp, this.#clock.now());
    // A key is reported as soon as its first packet arrives; its packets still go through the jitter
    // buffer, since they share the sequence numbers with the audio and would otherwise look lost.
    if (packet.payloadType === this.#eventPayloadType) {
      const received = this.#events.receive(packet.timestamp, packet.payload);
      if (received !== undefined) this.#digit(received.digit, 'rfc4733');
    }
    // The transport hands over its buffer (DatagramTransport's contract): the packet is kept as is.
    this.#jitter.push(packet, this.#release);
  }

  readonly #release = (packet: RtpPacket): void => this.#audio(packet);

  #audio(packet: RtpPacket): void {
    const law = packet.payloadType === 0 ? 'pcmu' : packet.payloadType === 8 ? 'pcma' : undefined;
    if (law === undefined) return;
    // Decoding costs a buffer per packet: only when something listens, records or detects tones.
    const listening = this.#emitter.listenerCount('audio') > 0;
    if (!listening && this.#recording === undefined && this.#inband === undefined) return;
    const samples = decodeG711(law, packet.payload);
    if (listening) this.#emitter.emit('audio', { samples });
    if (this.#inband !== undefined) for (const digit of this.#inband.push(samples)) this.#digit(digit, 'inband');
    this.#recording?.audio(samples);
  }

  #digit(digit: DtmfDigit, source: DigitSource): void {
    this.#emitter.emit('digit', { digit, source });
    this.#digits.push(digit);
    // The prompt playing, and those queued that a key may interrupt, end: the caller has answered.
    this.#prompts.digit(digit);
    const recording = this.#recording;
    if (recording !== undefined && recording.interruptedBy(digit)) {
      // The key that ends a recording is not input for the next collectDigits().
      this.#digits.take(digit);
      recording.finish('digit', digit);
    }
  }

  #receiveRtcp(data: Uint8Array, from: DatagramAddress): void {
    const packets = decodeRtcp(data);
    if (packets === undefined) return;
    if (this.#symmetric) {
      this.#remoteRtcp = { address: from.address, port: from.port };
      this.#rtcpLatched = true;
    }
    for (const packet of packets) {
      if (packet.type === 'sr' && packet.ssrc === this.#source?.ssrc)
        this.#source.senderReport(packet, this.#clock.now());
    }
    this.#emitter.emit('rtcp', { packets, from: { address: from.address, port: from.port } });
  }

  #sendRtcp(packets: RtcpPacket[]): void {
    const to = this.#remoteRtcp;
    if (this.#rtcp === undefined || to === undefined) return;
    this.#rtcp.send(encodeRtcp(packets), to);
  }
}

const rtcpBeside = (rtp: DatagramAddress | undefined): DatagramAddress | undefined =>
  rtp === undefined ? undefined : { address: rtp.address, port: rtp.port + 1 };
