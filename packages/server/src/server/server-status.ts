import type { DeviceView, ServerStatus } from '../admin/index.js';
import type { ConfigSnapshot } from '../store/index.js';

/** What `GET /api/v1/status` and `strowger status` show, from the parts of a running server. */
export function serverStatus(parts: {
  version: string;
  startedAt: Date;
  now: number;
  logLevel: string;
  storeKind: 'embedded' | 'server';
  snapshot: ConfigSnapshot;
  devices: readonly DeviceView[];
  sip: string;
  /** Undefined until the server listens. */
  addresses:
    { http: { address: string; port: number }; cti: { address: string; port: number; protocol: string } } | undefined;
  calls: number;
  ctiSessions: number;
  ctiProviders: number;
}): ServerStatus {
  const { addresses } = parts;
  return {
    version: parts.version,
    startedAt: parts.startedAt.toISOString(),
    uptimeSeconds: Math.max(0, Math.floor((parts.now - parts.startedAt.getTime()) / 1000)),
    pid: process.pid,
    logLevel: parts.logLevel,
    store: { kind: parts.storeKind, configVersion: parts.snapshot.version },
    listening: {
      sip: parts.sip,
      http: addresses === undefined ? 'not listening' : `${addresses.http.address}:${addresses.http.port}`,
      cti:
        addresses === undefined
          ? 'not listening'
          : `${addresses.cti.protocol}://${addresses.cti.address}:${addresses.cti.port}`,
    },
    counts: {
      devices: parts.devices.length,
      registeredDevices: parts.devices.filter((d) => d.registration.state === 'registered').length,
      lines: parts.snapshot.lines.length,
      calls: parts.calls,
      ctiSessions: parts.ctiSessions,
      ctiProviders: parts.ctiProviders,
    },
  };
}
