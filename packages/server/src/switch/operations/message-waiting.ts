import { ErrorCode, StrowgerError } from '../../core/index.js';
import type { Directory } from '../directory.js';

/**
 * The message-waiting lamp of each line (JTAPI CallControlAddress.setMessageWaiting; Cisco's
 * CiscoAddress.setMessageWaiting): on or off as an application (a voicemail system) last set it.
 * NOTE: kept by the running engine; after a restart every lamp is off until set again.
 */
export class MessageWaiting {
  readonly #waiting = new Set<string>();

  /** Sets a line's lamp; returns whether it changed. NOT_FOUND for a line that is not configured. */
  set(directory: Directory, dn: string, waiting: boolean): boolean {
    if (!directory.lines.has(dn)) throw new StrowgerError(ErrorCode.NotFound, `line ${dn} is not configured`);
    if (this.#waiting.has(dn) === waiting) return false;
    if (waiting) this.#waiting.add(dn);
    else this.#waiting.delete(dn);
    return true;
  }

  of(dn: string): boolean {
    return this.#waiting.has(dn);
  }
}
