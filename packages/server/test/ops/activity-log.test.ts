import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoCallLeft, phoneDevices, waitUntil } from '../support/leftovers.js';
import { TestPhone } from '../support/test-phone.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

// What an operator tailing the log sees: one line per registration change and per call start,
// answer, transfer and end, with the call id, the parties and the cause.
const config = `
settings: { sipRealm: strowger }
lines:
  - { dn: '6001' }
  - { dn: '6002' }
  - { dn: '6003' }
devices:
${phoneDevices(['6001', '6002', '6003'])}
`;

interface LogLine {
  level: number;
  layer?: string;
  msg: string;
  [key: string]: unknown;
}

const lines: LogLine[] = [];
const stream = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const text of chunk.toString().split('\n')) if (text.trim() !== '') lines.push(JSON.parse(text) as LogLine);
    done();
  },
});
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ config, logger: pino({ level: 'debug' }, stream) });
}, 60_000);
afterAll(async () => server?.stop(), 20_000);

const activity = (msg: string) => lines.filter((line) => line.layer === 'activity' && line.msg === msg);
const info = 30;
const debug = 20;

describe('the activity log', () => {
  it('registrations, a call, its answer, a blind transfer and its end MUST each be one line with call id, parties and cause', async () => {
    const [a, b, c] = await Promise.all(
      ['6001', '6002', '6003'].map((dn) => TestPhone.start({ dn, password: `pw-${dn}`, serverPort: server.sipPort })),
    );
    expect(activity('device registered').map((line) => line.device)).toEqual(
      expect.arrayContaining(['SEP000000006001', 'SEP000000006002', 'SEP000000006003']),
    );
    expect(activity('device registered')[0]).toMatchObject({ level: info });

    await a!.register();
    expect(activity('registration refreshed')).toEqual([
      expect.objectContaining({ level: debug, device: 'SEP000000006001' }),
    ]);

    const call = await a!.call('6002');
    expect(await waitUntil(() => b!.calls.length === 1)).toBe(true);
    const [started] = activity('call started');
    expect(started).toMatchObject({ level: info, from: '6001', to: '6002' });
    expect(typeof started?.call).toBe('string');
    expect(await waitUntil(() => activity('call answered').length === 1)).toBe(true);
    expect(activity('call answered')[0]).toMatchObject({ call: started?.call, from: '6001', to: '6002' });

    expect((await call.refer('6003')).status).toBe(202);
    expect(await waitUntil(() => c!.calls.length === 1)).toBe(true);
    expect(await waitUntil(() => activity('call transferred').length >= 1)).toBe(true);
    expect(activity('call transferred')[0]).toMatchObject({
      level: info,
      call: started?.call,
      transferredBy: '6001',
      cause: 'BLINDTRANSFER',
    });

    expect(await waitUntil(() => call.ended, 5000)).toBe(true);
    expect((await c!.calls[0]!.hangUp()).status).toBe(200);
    const seen = () =>
      JSON.stringify(
        lines.filter((line) => line.layer === 'activity').map((line) => [line.msg, line.call, line.cause]),
      );
    // A blind transfer keeps the call (JTAPI: the transferring connection leaves it); it ends once.
    expect(await waitUntil(() => activity('call ended').length === 1), seen()).toBe(true);
    expect(activity('call ended')[0]).toMatchObject({
      level: info,
      call: started?.call,
      cause: 'NORMAL',
      answered: true,
    });
    await expectNoCallLeft(server);

    await Promise.all([a!.close(), b!.close(), c!.close()]);
    expect(await waitUntil(() => activity('device unregistered').length === 3)).toBe(true);
    expect(activity('device unregistered')[0]).toMatchObject({ level: info, cause: 'unregistered' });
  });
});
