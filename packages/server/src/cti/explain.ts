import { ErrorCode, StrowgerError } from '../core/index.js';
import type { CtiConfiguration, CtiUser, CtiUserKind } from './permissions/cti-configuration.js';
import { evaluateAccess, type AccessVerdict } from './permissions/evaluate-access.js';

/** The explainer's answer for one line: every appearance judged, the best one first. */
export interface LineExplanation {
  readonly line: string;
  /** The appearance whose verdict stands for the line: the first observable, else the first in the domain, else the first. */
  readonly verdict: AccessVerdict | undefined;
  /** One verdict per device the line appears on, in device-name order. */
  readonly appearances: readonly AccessVerdict[];
}

/**
 * Finds a CTI user by id; an end user and an application user may share one, and then `kind` says
 * which. Unknown ids fail with NOT_FOUND naming the users that exist.
 */
export function findCtiUser(configuration: CtiConfiguration, userId: string, kind?: CtiUserKind): CtiUser {
  const candidates = configuration.usersNamed(userId).filter((user) => kind === undefined || user.kind === kind);
  const [user, other] = candidates;
  if (user === undefined) {
    const all = configuration.users;
    const list = (k: CtiUserKind) =>
      all
        .filter((u) => u.kind === k)
        .map((u) => u.userId)
        .join(', ') || 'none';
    throw new StrowgerError(
      ErrorCode.NotFound,
      `no ${kind ?? 'user'} ${userId}; the end users are: ${list('end-user')}; the application users are: ${list('application-user')}`,
    );
  }
  if (other !== undefined) {
    throw new StrowgerError(
      ErrorCode.InvalidArgument,
      `${userId} is both an end user and an application user; say which with kind=end-user or kind=application-user`,
    );
  }
  return user;
}

/** One device (or device–line appearance) for one user; unknown names fail with NOT_FOUND saying what exists. */
export function explainDevice(
  configuration: CtiConfiguration,
  user: CtiUser,
  target: { device: string; line?: string },
  acquired: ReadonlySet<string> = new Set(),
): AccessVerdict {
  const device = configuration.devices.get(target.device);
  if (device === undefined) {
    throw new StrowgerError(
      ErrorCode.NotFound,
      `no device named ${target.device}; the configured devices are: ${sample([...configuration.devices.keys()])}`,
    );
  }
  if (target.line !== undefined && !device.lines.includes(target.line)) {
    throw new StrowgerError(
      ErrorCode.NotFound,
      `line ${target.line} does not appear on ${device.name}; its lines are: ${device.lines.join(', ') || 'none'}`,
    );
  }
  return evaluateAccess({
    configuration,
    user,
    device: device.name,
    ...(target.line === undefined ? {} : { line: target.line }),
    acquired,
  });
}

/**
 * One line for one user: JTAPI's Address is observable when one of its appearances is (a shared line
 * restricted on some devices only still works on the others, §3.4).
 */
export function explainLine(
  configuration: CtiConfiguration,
  user: CtiUser,
  dn: string,
  acquired: ReadonlySet<string> = new Set(),
): LineExplanation {
  if (!configuration.lines.has(dn)) {
    throw new StrowgerError(
      ErrorCode.NotFound,
      `no line ${dn}; the configured lines are: ${sample([...configuration.lines.keys()])}`,
    );
  }
  const appearances = configuration
    .appearancesOf(dn)
    .map((device) => evaluateAccess({ configuration, user, device, line: dn, acquired }));
  const verdict = appearances.find((v) => v.mayObserve) ?? appearances.find((v) => v.inDomain) ?? appearances[0];
  return { line: dn, verdict, appearances };
}

function sample(names: readonly string[]): string {
  if (names.length === 0) return 'none';
  const shown = names.slice(0, 20).join(', ');
  return names.length > 20 ? `${shown} and ${names.length - 20} more` : shown;
}
