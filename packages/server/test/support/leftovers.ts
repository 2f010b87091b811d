import { expect } from 'vitest';
import type { TestServer } from './test-server.js';

/** Polls until `condition` holds or time runs out; says which. `poll` refreshes what it reads. */
export async function waitUntil(
  condition: () => boolean,
  timeoutMs = 3000,
  poll?: () => Promise<void>,
): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    await poll?.();
    if (condition()) return true;
    if (Date.now() >= until) return false;
    await new Promise((done) => setTimeout(done, 10));
  }
}

/** After a call: no call or leg is left in the engine or the SIP driver, and no media endpoint open. */
export async function expectNoCallLeft(server: TestServer): Promise<void> {
  const { strowger } = server;
  await waitUntil(() => strowger.engine.callCount === 0 && strowger.sip.phones.legCount === 0);
  expect(strowger.engine.callCount, 'calls left in the engine').toBe(0);
  expect(strowger.engine.legCount, 'legs left in the engine').toBe(0);
  expect(strowger.sip.phones.legCount, 'legs left in the SIP driver').toBe(0);
  expect(strowger.media.openEndpoints, 'media endpoints left open').toBe(0);
}

/** After a suite run with short SIP timers: every transaction has ended (describeLive names any left). */
export async function expectNoTransactionLeft(server: TestServer): Promise<void> {
  await waitUntil(() => server.strowger.sipTransactionCount() === 0, 10_000);
  expect(server.strowger.sip.ua.transactions.describeLive(), 'SIP transactions left behind').toEqual([]);
}

/** The `devices:` entries of one SIP phone per number, user name the number and password "pw-<number>". */
export function phoneDevices(numbers: readonly string[]): string {
  return numbers
    .map(
      (dn) =>
        `  - { name: SEP00000000${dn}, type: sip-phone, lines: ['${dn}'], sip: { username: '${dn}', password: 'pw-${dn}' } }`,
    )
    .join('\n');
}
