import { afterEach, describe, expect, it } from 'vitest';
import { openProvider, silentLogger, type Provider } from '@strowger/sdk';
import { startScreenPop, type Pop } from '../src/index.js';
import { callEvents, inboundRinging } from '../../../packages/sdk/test/support/call-events.js';
import { FakeCtiServer } from '../../../packages/sdk/test/support/fake-cti-server.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(devices: string[] = []) {
  const server = await FakeCtiServer.start();
  cleanups.push(() => server.stop());
  const provider: Provider = await openProvider({ servers: [server.url], user: 'app', password: 'secret' });
  cleanups.push(() => provider.shutdown());
  const pops: Pop[] = [];
  const screenPop = await startScreenPop({
    provider,
    template: 'https://crm.example/?n={calling}&c={called}&u={user}&d={device}&l={line}',
    action: async (pop) => void pops.push(pop),
    devices,
    logger: silentLogger,
  });
  return { server, provider, pops, screenPop };
}

async function until(predicate: () => boolean, what: string): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > 5000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('screen pop', () => {
  it('watches every unrestricted terminal and skips the restricted one, saying why', async () => {
    const { screenPop } = await setUp();
    expect(screenPop.watching).toEqual(['SEP1001', 'SEP1002', 'SEP1003']);
    expect(screenPop.skipped).toEqual([{ device: 'SEP1009', reason: expect.stringMatching(/restricted/) }]);
  });

  it('pops once per call when a watched phone starts ringing, with the template filled', async () => {
    const { server, pops } = await setUp();
    const p = server.backend.onlyProvider.providerId;
    server.backend.emit(p, inboundRinging('c-1', '5551234', '1001', 'SEP1001'));
    await until(() => pops.length === 1, 'the pop');
    const c = callEvents('c-1', { callingAddress: '5551234', callingTerminal: null, calledAddress: '1001' });
    server.backend.emit(p, [...c.established('1001'), ...c.talking('1001', 'SEP1001')]);
    await new Promise((r) => setTimeout(r, 50));
    expect(pops).toHaveLength(1);
    expect(pops[0]).toMatchObject({
      url: 'https://crm.example/?n=5551234&c=1001&u=app&d=SEP1001&l=1001',
      calling: '5551234',
      called: '1001',
      device: 'SEP1001',
      callId: 'c-1',
    });
  });

  it('a shared line ringing on two watched phones pops once', async () => {
    const { server, pops } = await setUp();
    const c = callEvents('c-2', { callingAddress: '1001', callingTerminal: 'SEP1001', calledAddress: '2000' });
    server.backend.emit(server.backend.onlyProvider.providerId, [
      c.active(),
      c.created('2000'),
      ...c.alerting('2000'),
      c.tcCreated('2000', 'SEP1002'),
      ...c.ringing('2000', 'SEP1002'),
      c.tcCreated('2000', 'SEP1003'),
      ...c.ringing('2000', 'SEP1003'),
    ]);
    await until(() => pops.length === 1, 'the pop');
    await new Promise((r) => setTimeout(r, 50));
    expect(pops.map((p) => [p.callId, p.line])).toEqual([['c-2', '2000']]);
  });

  it("the caller's own phone ringing back is not a pop: only alerting at a watched line counts", async () => {
    const { server, pops } = await setUp();
    // 1001 calls an outside number: 1001 is the caller (CONNECTED), the far end alerts.
    const c = callEvents('c-3', { callingAddress: '1001', callingTerminal: 'SEP1001', calledAddress: '5550000' });
    server.backend.emit(server.backend.onlyProvider.providerId, [
      c.active(),
      c.created('1001'),
      ...c.established('1001'),
      c.created('5550000'),
      ...c.alerting('5550000'),
    ]);
    await new Promise((r) => setTimeout(r, 100));
    expect(pops).toEqual([]);
  });

  it('--device acquires a device with createTerminal and watches it', async () => {
    const { screenPop } = await setUp(['SEP5555', 'SEP0000']);
    expect(screenPop.watching).toContain('SEP5555');
    expect(screenPop.skipped.map((s) => s.device)).toContain('SEP0000');
  });
});
