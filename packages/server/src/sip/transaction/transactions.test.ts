import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/index.js';
import { createResponse, parseMessage, type SipRequest, type SipResponse } from '../message/index.js';
import { FakeTransport } from '../transport/test-support/fake-transport.js';
import type { NonInviteServerTransaction } from './index.js';
import { InviteServerTransaction, TransactionLayer, IllegalTransitionError } from './index.js';

const target = { protocol: 'udp' as const, address: '192.0.2.10', port: 5062 };

function outgoing(method: string, branch = 'z9hG4bKclient1'): SipRequest {
  return parseMessage(
    Buffer.from(
      `${method} sip:bob@192.0.2.10 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=${branch}\r\nFrom: <sip:a@example.com>;tag=f\r\nTo: <sip:bob@example.com>\r\nCall-ID: c-${branch}\r\nCSeq: 1 ${method}\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n`,
    ),
  ) as SipRequest;
}

const responseText = (status: number, method: string, branch = 'z9hG4bKclient1') =>
  `SIP/2.0 ${status} X\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=${branch}\r\nFrom: <sip:a@example.com>;tag=f\r\nTo: <sip:bob@example.com>;tag=t\r\nCall-ID: c-${branch}\r\nCSeq: 1 ${method}\r\nContent-Length: 0\r\n\r\n`;

const incoming = (method: string, branch = 'z9hG4bKserver1', cseqMethod = method) =>
  `${method} sip:server@192.0.2.1 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.10:5062;branch=${branch}\r\nFrom: <sip:a@example.com>;tag=f\r\nTo: <sip:server@example.com>\r\nCall-ID: s-1\r\nCSeq: 1 ${cseqMethod}\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n`;

let layers: Array<{ layer: TransactionLayer; clock: FakeClock }> = [];
function setup(reliable = false) {
  const clock = new FakeClock(0);
  const transport = new FakeTransport({ reliable });
  const layer = new TransactionLayer({ transport, clock });
  layers.push({ layer, clock });
  const received: SipResponse[] = [];
  const outcome = { timeout: false, transportError: false };
  const callbacks = {
    onResponse: (r: SipResponse) => received.push(r),
    onTimeout: () => (outcome.timeout = true),
    onTransportError: () => (outcome.transportError = true),
  };
  return { clock, transport, layer, received, outcome, callbacks };
}

afterEach(() => {
  // After every test, with time run out, no transaction and no timer is left.
  const finished = layers;
  layers = [];
  for (const { layer, clock } of finished) {
    clock.advance(120_000);
    expect(layer.size).toEqual({ client: 0, server: 0 });
    expect(clock.pendingTimers).toBe(0);
  }
});

describe('INVITE client transaction (RFC 3261 §17.1.1, RFC 6026)', () => {
  it('Timer A MUST double the retransmission interval until Timer B ends it with a timeout', () => {
    const { clock, transport, layer, outcome, callbacks } = setup();
    layer.sendRequest(outgoing('INVITE'), target, callbacks);
    const times: number[] = [];
    for (let t = 0; t <= 32_000; t += 100) {
      const before = transport.sent.length;
      clock.advance(t === 0 ? 0 : 100);
      if (transport.sent.length > before) times.push(clock.now());
    }
    expect(times).toEqual([500, 1500, 3500, 7500, 15500, 31500]);
    expect(outcome.timeout).toBe(true);
  });

  it('MUST move to Proceeding on a 1xx and stop retransmitting', () => {
    const { clock, transport, layer, received, callbacks } = setup();
    const tx = layer.sendRequest(outgoing('INVITE'), target, callbacks);
    transport.receive(responseText(180, 'INVITE'));
    expect(tx.state).toBe('Proceeding');
    clock.advance(10_000);
    expect(transport.log).toEqual(['INVITE']);
    expect(received.map((r) => r.status)).toEqual([180]);
    transport.receive(responseText(486, 'INVITE'));
  });

  it('a non-2xx final MUST be ACKed by the transaction, again for each retransmission, and passed up once', () => {
    const { clock, transport, layer, received, callbacks } = setup();
    const tx = layer.sendRequest(outgoing('INVITE'), target, callbacks);
    transport.receive(responseText(486, 'INVITE'));
    transport.receive(responseText(486, 'INVITE'));
    expect(tx.state).toBe('Completed');
    expect(transport.log).toEqual(['INVITE', 'ACK', 'ACK']);
    const ack = transport.sent[1]?.message as SipRequest;
    expect(ack.cseq).toEqual({ seq: 1, method: 'ACK' });
    expect(ack.topVia.params.get('branch')).toBe('z9hG4bKclient1');
    expect(ack.to.params.get('tag')).toBe('t');
    expect(received.map((r) => r.status)).toEqual([486]);
    clock.advance(32_000); // Timer D
    expect(tx.state).toBe('Terminated');
  });

  it('a 2xx MUST move to Accepted, retransmitted 2xx MUST reach the TU, and Timer M MUST end it', () => {
    const { clock, transport, layer, received, callbacks } = setup();
    const tx = layer.sendRequest(outgoing('INVITE'), target, callbacks);
    transport.receive(responseText(200, 'INVITE'));
    transport.receive(responseText(200, 'INVITE'));
    expect(tx.state).toBe('Accepted');
    expect(received.map((r) => r.status)).toEqual([200, 200]);
    expect(transport.log).toEqual(['INVITE']); // the 2xx ACK is the TU's job
    clock.advance(32_000);
    expect(tx.state).toBe('Terminated');
  });

  it('on a reliable transport Timer A MUST NOT run and Timer D MUST be zero', () => {
    const { clock, transport, layer, callbacks } = setup(true);
    const tx = layer.sendRequest(outgoing('INVITE'), target, callbacks);
    clock.advance(10_000);
    expect(transport.log).toEqual(['INVITE']);
    transport.receive(responseText(603, 'INVITE'));
    clock.advance(0);
    expect(tx.state).toBe('Terminated');
  });
});

describe('non-INVITE client transaction (RFC 3261 §17.1.2)', () => {
  it('Timer E MUST double up to T2, and Timer F MUST time out at 64*T1', () => {
    const { clock, transport, layer, outcome, callbacks } = setup();
    layer.sendRequest(outgoing('OPTIONS'), target, callbacks);
    const times: number[] = [];
    for (let i = 0; i < 320; i++) {
      const before = transport.sent.length;
      clock.advance(100);
      if (transport.sent.length > before) times.push(clock.now());
    }
    expect(times.slice(0, 6)).toEqual([500, 1500, 3500, 7500, 11500, 15500]);
    expect(outcome.timeout).toBe(true);
  });

  it('a final response MUST complete it, retransmissions MUST be absorbed, and Timer K MUST end it', () => {
    const { clock, transport, layer, received, callbacks } = setup();
    const tx = layer.sendRequest(outgoing('OPTIONS'), target, callbacks);
    transport.receive(responseText(100, 'OPTIONS'));
    expect(tx.state).toBe('Proceeding');
    transport.receive(responseText(200, 'OPTIONS'));
    transport.receive(responseText(200, 'OPTIONS'));
    expect(received.map((r) => r.status)).toEqual([100, 200]);
    clock.advance(5000);
    expect(tx.state).toBe('Terminated');
  });

  it('a transport error MUST terminate it and tell the TU', async () => {
    const { transport, layer, outcome, callbacks } = setup();
    transport.failNextSend = true;
    const tx = layer.sendRequest(outgoing('OPTIONS'), target, callbacks);
    await Promise.resolve();
    await Promise.resolve();
    expect(outcome.transportError).toBe(true);
    expect(tx.state).toBe('Terminated');
  });
});

describe('INVITE server transaction (RFC 3261 §17.2.1, RFC 6026)', () => {
  function serverSetup(reliable = false) {
    const context = setup(reliable);
    const created: InviteServerTransaction[] = [];
    context.layer.events.on('request', ({ transaction }) => {
      if (transaction instanceof InviteServerTransaction) created.push(transaction);
    });
    context.transport.receive(incoming('INVITE'));
    const tx = created[0] as InviteServerTransaction;
    return { ...context, tx };
  }

  it('MUST send 100 Trying when the TU is silent for 200 ms', () => {
    const { clock, transport, tx } = serverSetup();
    clock.advance(199);
    expect(transport.log).toEqual([]);
    clock.advance(1);
    expect(transport.log).toEqual(['100']);
    tx.respond(createResponse(tx.request, 486, undefined, { toTag: 'x' }));
  });

  it('a retransmitted INVITE MUST be answered with the last provisional', () => {
    const { transport, tx } = serverSetup();
    tx.respond(createResponse(tx.request, 180, undefined, { toTag: 'x' }));
    transport.receive(incoming('INVITE'));
    expect(transport.log).toEqual(['180', '180']);
    tx.respond(createResponse(tx.request, 486, undefined, { toTag: 'x' }));
    transport.receive(incoming('ACK', 'z9hG4bKserver1', 'ACK'));
  });

  it('a 2xx MUST move it to Accepted where INVITE retransmissions are absorbed and ACKs go to the TU', () => {
    const { clock, transport, layer, tx } = serverSetup();
    const acks: SipRequest[] = [];
    layer.events.on('ack', ({ request }) => acks.push(request));
    tx.respond(createResponse(tx.request, 200, undefined, { toTag: 'x' }));
    transport.receive(incoming('INVITE'));
    expect(tx.state).toBe('Accepted');
    expect(transport.log).toEqual(['200']);
    transport.receive(incoming('ACK', 'z9hG4bKserver1', 'ACK'));
    transport.receive(incoming('ACK', 'z9hG4bKother', 'ACK'));
    expect(acks).toHaveLength(2);
    clock.advance(32_000); // Timer L
    expect(tx.state).toBe('Terminated');
  });

  it('a non-2xx final MUST be retransmitted on Timer G (doubling to T2) until the ACK, then Timer I ends it', () => {
    const { clock, transport, tx } = serverSetup();
    tx.respond(createResponse(tx.request, 486, undefined, { toTag: 'x' }));
    clock.advance(500 + 1000 + 2000 + 4000);
    expect(transport.log).toEqual(['486', '486', '486', '486', '486']);
    transport.receive(incoming('ACK', 'z9hG4bKserver1', 'ACK'));
    expect(tx.state).toBe('Confirmed');
    clock.advance(10_000);
    expect(transport.log).toHaveLength(5);
    expect(tx.state).toBe('Terminated');
  });

  it('Timer H MUST end it and tell the TU when no ACK comes', () => {
    const { clock, layer, tx } = serverSetup(true);
    let timedOut = false;
    layer.events.on('serverTimeout', () => (timedOut = true));
    tx.respond(createResponse(tx.request, 480, undefined, { toTag: 'x' }));
    clock.advance(32_000);
    expect(timedOut).toBe(true);
    expect(tx.state).toBe('Terminated');
  });

  it('a CANCEL MUST get its own transaction and name the INVITE it targets; an unknown one MUST name none', () => {
    const { transport, layer, tx } = serverSetup();
    const cancels: Array<InviteServerTransaction | undefined> = [];
    layer.events.on('cancel', ({ transaction, target: invite }) => {
      cancels.push(invite);
      transaction.respond(createResponse(transaction.request, invite === undefined ? 481 : 200));
    });
    transport.receive(incoming('CANCEL', 'z9hG4bKserver1'));
    transport.receive(incoming('CANCEL', 'z9hG4bKnothing'));
    expect(cancels).toEqual([tx, undefined]);
    expect(transport.log).toEqual(['200', '481']);
    tx.respond(createResponse(tx.request, 487, undefined, { toTag: 'x' }));
  });
});

describe('non-INVITE server transaction (RFC 3261 §17.2.2)', () => {
  it('MUST absorb retransmissions while Trying, resend the final when Completed, and end on Timer J', () => {
    const { clock, transport, layer } = setup();
    const created: NonInviteServerTransaction[] = [];
    layer.events.on('request', ({ transaction }) => created.push(transaction as NonInviteServerTransaction));
    transport.receive(incoming('OPTIONS'));
    transport.receive(incoming('OPTIONS'));
    expect(created).toHaveLength(1);
    expect(transport.log).toEqual([]);
    const tx = created[0] as NonInviteServerTransaction;
    tx.respond(createResponse(tx.request, 200));
    transport.receive(incoming('OPTIONS'));
    expect(transport.log).toEqual(['200', '200']);
    clock.advance(32_000);
    expect(tx.state).toBe('Terminated');
  });

  it('a second final response MUST be refused loudly', () => {
    const { transport, layer } = setup();
    const created: NonInviteServerTransaction[] = [];
    layer.events.on('request', ({ transaction }) => created.push(transaction as NonInviteServerTransaction));
    transport.receive(incoming('OPTIONS'));
    const tx = created[0] as NonInviteServerTransaction;
    tx.respond(createResponse(tx.request, 200));
    expect(() => tx.respond(createResponse(tx.request, 500))).toThrow();
    expect(IllegalTransitionError).toBeDefined();
  });
});
