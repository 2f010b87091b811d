import type { RegistrationMedia } from '@strowger/protocol';
import { ErrorCode, StrowgerError } from '../../core/index.js';

/** The kinds of device an application registers (CUCM's CTI devices, domain reference §1.2–1.3). */
export type CtiDeviceType = 'cti-route-point' | 'cti-port';

/** One application's registration of one CTI device. */
export interface Registration {
  readonly providerId: string;
  readonly device: string;
  readonly type: CtiDeviceType;
  media: RegistrationMedia;
  /** Route callbacks on the device's lines, with each one's route-select timeout. */
  readonly callbacks: Map<string, number>;
  /** Made by a route callback alone, not by terminal.register: it goes with the last callback. */
  implicit: boolean;
}

/**
 * Which application holds each CTI device. A port has one; a route point may have several
 * instances of one application registered with the same media, the first active and the others
 * standing by in order, the next taking over when the active one goes (domain reference §1.2: several
 * applications may register a route point only with identical capabilities).
 */
export class DeviceRegistrations {
  readonly #byDevice = new Map<string, Registration[]>();

  /** The application controlling the device now, if any. */
  active(device: string): Registration | undefined {
    return this.#byDevice.get(device)?.[0];
  }

  of(device: string, providerId: string): Registration | undefined {
    return this.#byDevice.get(device)?.find((registration) => registration.providerId === providerId);
  }

  inService(device: string): boolean {
    return (this.#byDevice.get(device)?.length ?? 0) > 0;
  }

  /** Every registration a provider holds. */
  heldBy(providerId: string): Registration[] {
    return [...this.#byDevice.values()].flatMap((list) => list.filter((r) => r.providerId === providerId));
  }

  /**
   * Registers, or changes the media of a provider's existing registration. Refuses what CUCM
   * refuses: a port another application terminates, and a route point registered with other media.
   */
  register(
    providerId: string,
    device: string,
    type: CtiDeviceType,
    media: RegistrationMedia,
    implicit: boolean,
  ): Registration {
    const list = this.#byDevice.get(device) ?? [];
    const own = list.find((registration) => registration.providerId === providerId);
    const others = list.filter((registration) => registration !== own);
    if (type === 'cti-port' && others.length > 0) {
      throw new StrowgerError(
        ErrorCode.ResourceUnavailable,
        `CTI port ${device} is registered by another application (provider ${others[0]?.providerId}); a port terminates one application's media — use another port, or unregister it there first`,
        {
          details: {
            cisco:
              others[0]?.media.kind === 'dynamic'
                ? 'MEDIA_ALREADY_TERMINATED_DYNAMIC'
                : 'MEDIA_ALREADY_TERMINATED_STATIC',
          },
        },
      );
    }
    const mismatch = others.find((registration) => registration.media.kind !== media.kind);
    if (type === 'cti-route-point' && mismatch !== undefined) {
      throw new StrowgerError(
        ErrorCode.InvalidArgument,
        `route point ${device} is registered with media "${mismatch.media.kind}" by another instance; every instance must register it the same way`,
        { details: { cisco: 'MEDIA_CAPABILITY_MISMATCH' } },
      );
    }
    if (own !== undefined) {
      own.media = media;
      own.implicit &&= implicit;
      return own;
    }
    const registration: Registration = { providerId, device, type, media, callbacks: new Map(), implicit };
    list.push(registration);
    this.#byDevice.set(device, list);
    return registration;
  }

  /** Removes a registration; says whether it was the active one. */
  unregister(registration: Registration): { wasActive: boolean } {
    const list = this.#byDevice.get(registration.device) ?? [];
    const index = list.indexOf(registration);
    if (index < 0) return { wasActive: false };
    list.splice(index, 1);
    if (list.length === 0) this.#byDevice.delete(registration.device);
    return { wasActive: index === 0 };
  }

  /** Route points with a route callback on `dn`, in registration order: the active one first. */
  callbackOn(device: string, dn: string): { registration: Registration; timeoutMs: number } | undefined {
    const registration = this.active(device);
    const timeoutMs = registration?.callbacks.get(dn);
    return registration === undefined || timeoutMs === undefined ? undefined : { registration, timeoutMs };
  }

  clear(): void {
    this.#byDevice.clear();
  }
}
