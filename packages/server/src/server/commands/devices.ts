import type { Command } from 'commander';
import type { DeviceView } from '../../admin/index.js';
import { getFromServer, serverUrlOption } from './server-api.js';

interface DevicesOptions {
  url: string;
  json?: boolean;
  registered?: boolean;
}

/** `strowger devices`: the configured devices with their lines and registration state, read from a running server. */
export function registerDevicesCommand(program: Command): void {
  program
    .command('devices')
    .description('list devices with their lines and registration state (asks the running server)')
    .addOption(serverUrlOption())
    .option('--registered', 'only devices with a current registration')
    .option('--json', 'print JSON instead of a table')
    .action(async (options: DevicesOptions) => {
      const devices = await fetchDevices(options.url, options.registered === true);
      if (options.json === true) {
        console.log(JSON.stringify(devices, null, 2));
        return;
      }
      console.log(formatDeviceTable(devices));
    });
}

async function fetchDevices(baseUrl: string, registeredOnly: boolean): Promise<DeviceView[]> {
  const body = await getFromServer<{ devices: DeviceView[] }>(baseUrl, '/api/v1/devices', {
    registered: registeredOnly ? 'true' : undefined,
  });
  return body.devices;
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
