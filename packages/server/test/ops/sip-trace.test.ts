import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SipTraceItem } from '../../src/admin/index.js';
import { expectNoCallLeft, phoneDevices, waitUntil } from '../support/leftovers.js';
import { plainEnv } from '../support/processes.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { TestPhone } from '../support/test-phone.js';

// A real call between two phones through the running server: the trace files every SIP message of
// it under the engine's call id and the devices, over the API, as a live stream, and as the ladder
// of `strowger trace`.
const config = `
lines:
  - { dn: '4501' }
  - { dn: '4502' }
devices:
${phoneDevices(['4501', '4502'])}
`;

const entry = fileURLToPath(new URL('../../src/server/cli.ts', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'strowger-sip-trace-'));
let server: TestServer;
let phones: TestPhone[] = [];

function strowger(args: string[], dataDir = server.dataDir): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', entry, ...args, '--data', dataDir],
      { timeout: 50_000, env: plainEnv() },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function phone(dn: string): Promise<TestPhone> {
  const started = await TestPhone.start({ dn, password: `pw-${dn}`, serverPort: server.sipPort });
  phones.push(started);
  return started;
}

async function traceOf(query: string): Promise<SipTraceItem[]> {
  const response = await server.fetchApi(`/api/v1/sip-trace?${query}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: SipTraceItem[] }).items;
}

beforeAll(async () => {
  server = await startTestServer({ config });
}, 60_000);
afterEach(async () => {
  await expectNoCallLeft(server);
  await Promise.all(phones.map((p) => p.close()));
  phones = [];
});
afterAll(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
}, 20_000);

describe('the SIP trace of a real call', { timeout: 120_000 }, () => {
  it('MUST file both legs’ messages under the engine’s call id and each leg’s device, as the wire had them', async () => {
    const caller = await phone('4501');
    const callee = await phone('4502');
    await Promise.all([caller.register(), callee.register()]);

    // A live stream opened before the call: it must hear the call's messages as they happen.
    const listening = new AbortController();
    const stream = await server.fetchApi('/api/v1/sip-trace/stream?device=SEP000000004502', {
      signal: listening.signal,
    });
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const streamed: SipTraceItem[] = [];
    const reading = (async () => {
      const decoder = new TextDecoder();
      let text = '';
      for await (const chunk of stream.body!) {
        text += decoder.decode(chunk, { stream: true });
        for (let end = text.indexOf('\n\n'); end >= 0; end = text.indexOf('\n\n')) {
          const event = text.slice(0, end);
          text = text.slice(end + 2);
          expect(event).toMatch(/^event: message\nid: \d+\ndata: /);
          streamed.push(JSON.parse(event.slice(event.indexOf('data: ') + 6)) as SipTraceItem);
        }
      }
    })().catch(() => undefined);

    const call = await caller.call('4502');
    const [live] = server.strowger.engine.listCalls();
    const callId = live!.id;
    await call.hangUp();
    await waitUntil(() => server.strowger.engine.callCount === 0);

    const items = await traceOf(`callId=${encodeURIComponent(callId)}`);
    // What each message is: its direction, its device and its method or status code.
    const what = (item: SipTraceItem) =>
      `${item.direction} ${item.device} ${item.summary.startsWith('SIP/2.0') ? item.summary.split(' ')[1] : item.summary.split(' ')[0]}`;
    const seen = items.map(what);
    // The caller's leg: its INVITE, our challenge and its ACK, the INVITE with credentials, 100, 200, ACK, BYE, 200;
    // the callee's (a test phone that answers at once): our INVITE, its 200, our ACK, our BYE and its 200.
    expect(seen).toEqual(
      expect.arrayContaining([
        'received SEP000000004501 INVITE',
        'sent SEP000000004501 407',
        'received SEP000000004501 ACK',
        'sent SEP000000004501 100',
        'sent SEP000000004502 INVITE',
        'received SEP000000004502 200',
        'sent SEP000000004501 200',
        'sent SEP000000004502 ACK',
        'received SEP000000004501 BYE',
        'sent SEP000000004502 BYE',
      ]),
    );
    expect(seen.filter((text) => text === 'received SEP000000004501 INVITE')).toHaveLength(2);
    expect(items.every((item) => item.callId === callId)).toBe(true);
    expect(new Set(items.map((item) => item.sipCallId)).size).toBe(2);
    const seqs = items.map((item) => item.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const invite = items.find((item) => item.direction === 'sent' && item.summary.startsWith('INVITE'))!;
    const first = items[0]!;
    expect(invite).toMatchObject({ transport: 'udp', local: `127.0.0.1:${server.sipPort}` });
    expect(invite.remote).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(invite.remote).not.toBe(first.remote);
    expect(invite.message).toMatch(
      /^INVITE sip:4502@127\.0\.0\.1:\d+ SIP\/2\.0\r\n[\s\S]*\r\nCall-ID: [^\r]+\r\n[\s\S]*\r\n\r\nv=0\r\n/,
    );
    expect(Date.parse(invite.at)).not.toBeNaN();

    // By device: the callee's leg (and its REGISTER), not the caller's.
    const callee4502 = await traceOf('device=SEP000000004502');
    expect(callee4502.some((item) => item.summary.startsWith('REGISTER'))).toBe(true);
    expect(callee4502.some((item) => item.device === 'SEP000000004501')).toBe(false);
    expect(await waitUntil(() => streamed.some((item) => item.summary.startsWith('BYE')))).toBe(true);
    expect(streamed.every((item) => item.device === 'SEP000000004502')).toBe(true);
    expect(streamed.some((item) => item.summary.startsWith('INVITE') && item.callId === callId)).toBe(true);
    listening.abort();
    await reading;

    // Neither: the most recent of all.
    expect((await traceOf('limit=3')).map((item) => item.seq)).toEqual(
      (await traceOf('limit=1000')).slice(-3).map((item) => item.seq),
    );

    // The ladder in the terminal, from the kept messages of the call.
    const ladder = await strowger(['trace', '--call', callId, '--no-follow']);
    expect(ladder.stderr).toBe('');
    expect(ladder.code).toBe(0);
    const lines = ladder.stdout.split('\n');
    expect(lines[0]).toMatch(/^\s+SEP000000004501\s+Strowger\s*$/);
    expect(ladder.stdout).toMatch(/│─+ INVITE 4502 \(SDP\) ─+▶│/);
    expect(ladder.stdout).toMatch(/│◀─* 407 Proxy Authentic/);
    expect(ladder.stdout).toMatch(/^\s+SEP000000004501\s+Strowger\s+SEP000000004502\s*$/m);
    expect(ladder.stdout).toMatch(/│\s+│─+ BYE 4502 ─+▶│/);
  });

  it('an open trace stream MUST NOT hold up the server when it stops', async () => {
    const stream = await server.fetchApi('/api/v1/sip-trace/stream');
    expect(stream.status).toBe(200);
    const ended = (async () => {
      for await (const chunk of stream.body!) void chunk;
    })();
    await server.stop();
    await ended;
  });

  it('strowger trace MUST say clearly that it needs a running server when none runs', async () => {
    const stopped = await strowger(['trace'], join(work, 'no-server'));
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toContain('no Strowger server runs on the data directory');
    expect(stopped.stderr).toContain('the SIP trace needs one');
  });
});
