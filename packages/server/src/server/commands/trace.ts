import type { Command } from 'commander';
import { ErrorCode, StrowgerError } from '../../core/index.js';
import type { SipTraceItem } from '../../admin/index.js';
import { addServerOptions, requireServer, type ServerTarget } from './server-api.js';
import { LadderRenderer } from './trace-ladder.js';

interface TraceOptions extends ServerTarget {
  call?: string;
  device?: string;
  full?: boolean;
  follow: boolean;
  json?: boolean;
}

/**
 * `strowger trace [--call ID | --device NAME]`: the SIP messages of a call, of a device or of all, as
 * a ladder in the terminal (sngrep-style, no tshark needed), live as they happen. It reads the
 * running server's trace, so it needs a running server.
 */
export function registerTraceCommand(program: Command): void {
  addServerOptions(
    program
      .command('trace')
      .description('show the SIP messages of a call or a device as a live ladder (needs a running server)')
      .option('--call <id>', 'one call, by its id as "strowger calls" shows it')
      .option('--device <name>', "one device's calls")
      .option('--full', 'print each whole message under its arrow')
      .option('--no-follow', 'print the messages kept so far and stop, instead of following new ones')
      .option('--json', 'print each message as a line of JSON instead of the ladder'),
  ).action(async (options: TraceOptions) => {
    if (options.call !== undefined && options.device !== undefined) {
      throw new StrowgerError(ErrorCode.InvalidArgument, 'give --call or --device, not both');
    }
    const server = requireServer(options, 'the SIP trace');
    const response = await server.stream('/api/v1/sip-trace/stream', {
      query: { callId: options.call, device: options.device, follow: options.follow ? 'true' : 'false' },
    });
    const ladder = new LadderRenderer({ full: options.full === true, gap: ladderGap() });
    const what =
      options.call !== undefined
        ? `call ${options.call}`
        : options.device !== undefined
          ? `device ${options.device}`
          : 'all calls';
    if (options.follow && options.json !== true)
      console.error(`SIP trace of ${what} at ${server.baseUrl}; Ctrl-C to stop`);
    for await (const item of sseItems(response)) {
      if (options.json === true) console.log(JSON.stringify(item));
      else for (const line of ladder.render(item)) console.log(line);
    }
  });
}

/** Wider columns on a wide terminal: three parties fill it. */
function ladderGap(): number | undefined {
  const columns = process.stdout.columns;
  return columns === undefined ? undefined : Math.min(40, Math.floor((columns - 12) / 3));
}

/** The items of a stream of server-sent events (the "message" events' JSON data). */
export async function* sseItems(response: Response): AsyncGenerator<SipTraceItem> {
  if (response.body === null) return;
  const decoder = new TextDecoder();
  let pending = '';
  for await (const chunk of response.body) {
    pending += decoder.decode(chunk, { stream: true });
    for (let end = pending.indexOf('\n\n'); end >= 0; end = pending.indexOf('\n\n')) {
      const event = pending.slice(0, end);
      pending = pending.slice(end + 2);
      const data = event
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice('data: '.length))
        .join('\n');
      if (data !== '') yield JSON.parse(data) as SipTraceItem;
    }
  }
}
