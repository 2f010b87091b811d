import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { DeviceView } from '../../admin/index.js';
import { addServerOptions, findServer, requireServer, type ServerTarget } from './server-api.js';
import { withStore } from './store-options.js';

interface DevicesOptions extends ServerTarget {
  json?: boolean;
  registered?: boolean;
}

/**
 * `strowger devices`: the configured devices with their lines and registration state, from the
 * running server; with none running, as configured in the store (and none registered).
 * `strowger devices unregister NAME`: end a device's registration now.
 */
export function registerDevicesCommand(program: Command): void {
  const devices = addServerOptions(
    program
      .command('devices')
      .description('list devices with their lines and registration state')
      .option('--registered', 'only devices with a current registration')
      .option('--json', 'print JSON instead of a table'),
  ).action(async (options: DevicesOptions) => {
    const list = await fetchDevices(options);
    console.log(options.json === true ? JSON.stringify(list, null, 2) : formatDeviceTable(list));
  });

  // The subcommand takes the server options of `devices` itself (strowger devices unregister NAME --data DIR).
  devices
    .command('unregister')
    .description("remove a device's registration now (a phone registers again at its next refresh)")
    .argument('<name>', 'the device name')
    .action(async (name: string) => {
      const server = requireServer(devices.opts<ServerTarget>(), 'unregistering a device');
      await server.call('DELETE', `/api/v1/registrations/${encodeURIComponent(name)}`);
      console.log(`${name} unregistered`);
    });
}

async function fetchDevices(options: DevicesOptions): Promise<DeviceView[]> {
  const server = findServer(options);
  if (server !== undefined) {
    return server.all<DeviceView>('/api/v1/registrations', {
      registered: options.registered === true ? 'true' : undefined,
    });
  }
  // No server: nothing is registered; what the store holds is what the server will serve.
  console.error(`no Strowger server runs on ${resolve(options.data)}: devices as configured, none registered`);
  if (options.registered === true) return [];
  const snapshot = await withStore(options, (store) => store.loadConfig());
  return snapshot.devices.map((device) => ({
    name: device.name,
    type: device.type,
    ...(device.description === undefined ? {} : { description: device.description }),
    lines: device.lines,
    allowCtiControl: device.allowCtiControl,
    registration: { state: 'unregistered', bindings: [] },
  }));
}

export function formatDeviceTable(devices: readonly DeviceView[]): string {
  const rows = devices.map((device) => {
    const first = device.registration.bindings[0];
    return [
      device.name,
      device.type,
      device.lines.join(',') || '-',
      device.registration.state,
      first === undefined ? '-' : `${first.contact} (${first.source}, ${first.expiresInSeconds}s)`,
      first?.userAgent ?? '-',
    ];
  });
  const header = ['DEVICE', 'TYPE', 'LINES', 'STATE', 'CONTACT', 'USER AGENT'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const format = (row: string[]) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [format(header), ...rows.map(format)].join('\n');
}
