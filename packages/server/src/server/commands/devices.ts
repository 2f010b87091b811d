import { Option, type Command } from 'commander';
import type { DeviceView } from '../../admin/index.js';
import { ErrorCode, StrowgerError } from '../../core/index.js';

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
    .addOption(
      new Option('--url <url>', 'HTTP address of the running server')
        .env('STROWGER_URL')
        .default(`http://127.0.0.1:${process.env.STROWGER_HTTP_PORT ?? '8080'}`),
    )
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
  const url = new URL('/api/v1/devices', baseUrl);
  if (registeredOnly) url.searchParams.set('registered', 'true');
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  } catch (error) {
    throw new StrowgerError(
      ErrorCode.ResourceUnavailable,
      `no Strowger server answered at ${baseUrl}; start one with "strowger start", or pass --url with the address it printed`,
      { cause: error },
    );
  }
  if (!response.ok) {
    throw new StrowgerError(
      ErrorCode.ResourceUnavailable,
      `the server at ${baseUrl} answered ${response.status} to ${url.pathname}`,
    );
  }
  const body = (await response.json()) as { devices: DeviceView[] };
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
