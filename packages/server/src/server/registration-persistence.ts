import type { Clock, Logger } from '../core/index.js';
import type { Binding, RegistrationTable } from '../devices/sip/index.js';
import { parseUri } from '../sip/index.js';
import type { Store, StoredBinding } from '../store/index.js';

/**
 * Keeps the registrar's bindings in the store: the unexpired ones stored before are put back into
 * the table at start, so calls reach phones right after a restart without waiting for them to
 * re-register; afterwards every change to a device's bindings is noted for the store's batched
 * writer, which never holds up a REGISTER. `detach` stops following the table before the server
 * closes it (closing empties the table, and that must not empty the store).
 */
export async function persistRegistrations(
  table: RegistrationTable,
  store: Store,
  clock: Clock,
  logger: Logger,
  /** Whether a device is still configured as a SIP phone; bindings of others are not restored. */
  isSipPhone: (deviceName: string) => boolean,
): Promise<{ restored: number; detach(): void }> {
  let restored = 0;
  const dropped = new Set<string>();
  for (const stored of await store.loadRegistrations(new Date(clock.now()))) {
    if (!isSipPhone(stored.deviceName)) {
      dropped.add(stored.deviceName);
      continue;
    }
    let contact;
    try {
      contact = parseUri(stored.contact);
    } catch (error) {
      logger.warn(
        { err: error, device: stored.deviceName, contact: stored.contact },
        'stored binding skipped: its Contact no longer parses',
      );
      continue;
    }
    const put = table.restore({
      deviceName: stored.deviceName,
      contact,
      contactText: stored.contact,
      callId: stored.callId,
      cseq: stored.cseq,
      expiresAt: stored.expiresAt.getTime(),
      userAgent: stored.userAgent,
      source: stored.source,
      q: stored.q,
    });
    if (put) restored += 1;
  }
  // A device deleted (or made another type) while the server was down keeps no stored binding.
  for (const deviceName of dropped) store.registrations.saveDevice(deviceName, []);
  const detach = table.events.on('changed', ({ deviceName }) => {
    store.registrations.saveDevice(deviceName, table.bindings(deviceName).map(storedBinding));
  });
  return { restored, detach };
}

function storedBinding(binding: Binding): StoredBinding {
  return {
    deviceName: binding.deviceName,
    contact: binding.contactText,
    callId: binding.callId,
    cseq: binding.cseq,
    expiresAt: new Date(binding.expiresAt),
    userAgent: binding.userAgent,
    source: {
      protocol: binding.source.protocol,
      address: binding.source.address,
      port: binding.source.port,
      ...(binding.source.localAddress === undefined ? {} : { localAddress: binding.source.localAddress }),
    },
    q: binding.q,
  };
}
