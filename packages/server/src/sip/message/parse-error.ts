import { ErrorCode, StrowgerError } from '../../core/index.js';
import type { SipRequest } from './message.js';

/**
 * A message that cannot be parsed. `partial` is set when the start line was a request line and the
 * headers needed to build a response (Via, From, To, Call-ID, CSeq) could be read, so a transport can
 * answer 400 (RFC 3261 §8.2; RFC 4475 §3.1.2); without it the message is dropped.
 */
export class SipParseError extends StrowgerError {
  readonly partial: SipRequest | undefined;
  /** The status to answer with when `partial` is set: 400, or 505 for an unsupported SIP version (§8.2.2.2). */
  readonly responseStatus: number;

  constructor(message: string, partial?: SipRequest, responseStatus = 400) {
    super(ErrorCode.SipParseError, message);
    this.name = 'SipParseError';
    this.partial = partial;
    this.responseStatus = responseStatus;
  }
}
