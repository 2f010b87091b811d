import { ErrorCode, StrowgerError } from '../../core/index.js';
import type { ForwardTarget, SwitchLine } from '../config.js';
import type { Directory } from '../directory.js';

/** A line's forwarding as it applies now: the configured targets, forward all as an application set it. */
export interface LineForwarding {
  readonly all: ForwardTarget | undefined;
  readonly busy: ForwardTarget | undefined;
  readonly noAnswer: ForwardTarget | undefined;
  readonly unregistered: ForwardTarget | undefined;
  /** Whether forward all is the one an application set (CallControlAddress.setForwarding). */
  readonly allSetByApplication: boolean;
}

/**
 * Call Forward All as CTI sets it (JTAPI CallControlAddress.setForwarding with FORWARD_UNCONDITIONALLY;
 * Cisco lets JTAPI set forward all only): it takes the place of the line's configured forward all
 * from the next call on, until cancelled.
 * NOTE: kept by the running engine; a restart goes back to the configured forwarding.
 */
export class RuntimeForwarding {
  readonly #all = new Map<string, ForwardTarget>();

  /** Forward all for a line, checked: the line exists, the destination is routable and not the line. */
  set(directory: Directory, dn: string, destination: string): void {
    this.#line(directory, dn);
    const match = directory.analyzer.analyse(destination);
    if (match === undefined) {
      throw new StrowgerError(
        ErrorCode.InvalidArgument,
        `${destination} is not a routable number; forward to a configured line, hunt pilot or voicemail pilot`,
      );
    }
    if (match.target.kind === 'line' && match.target.line.dn === dn) {
      throw new StrowgerError(ErrorCode.InvalidArgument, `line ${dn} cannot forward all its calls to itself`);
    }
    this.#all.set(dn, { destination });
  }

  /** Cancels forward all set by an application; returns whether there was one. */
  cancel(directory: Directory, dn: string): boolean {
    this.#line(directory, dn);
    return this.#all.delete(dn);
  }

  /** Forward all of a line: the application's, else the configured one. */
  allOf(line: SwitchLine): ForwardTarget | undefined {
    return this.#all.get(line.dn) ?? line.forward.all;
  }

  of(directory: Directory, dn: string): LineForwarding {
    const line = this.#line(directory, dn);
    const set = this.#all.get(dn);
    return {
      all: set ?? line.forward.all,
      busy: line.forward.busy,
      noAnswer: line.forward.noAnswer,
      unregistered: line.forward.unregistered,
      allSetByApplication: set !== undefined,
    };
  }

  #line(directory: Directory, dn: string): SwitchLine {
    const line = directory.lines.get(dn);
    if (line === undefined) throw new StrowgerError(ErrorCode.NotFound, `line ${dn} is not configured`);
    return line;
  }
}
