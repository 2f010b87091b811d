import { TypeCompiler } from '@sinclair/typebox/compiler';
import { describe, expect, it } from 'vitest';
import { ServerFrame } from './frames.js';
import { EventId } from './jtapi.js';
import { eventSchemas } from './events.js';
import { validators } from './validators.js';

const connectionEvent = {
  seq: 3,
  id: 104,
  type: 'ConnAlertingEv',
  at: 1_764_470_000_123,
  observerId: 'o-1',
  callId: 'c-1',
  cause: 100,
  callControlCause: null,
  ciscoCause: 0,
  metaCode: 129,
  featureReason: 12,
  callingAddress: '1001',
  callingTerminal: 'SEP0001',
  calledAddress: '1002',
  lastRedirectedAddress: null,
  currentCallingAddress: '1001',
  currentCalledAddress: '1002',
  callingName: null,
  currentCallingName: null,
  address: '1002',
  connectionState: 'ALERTING',
  callControlState: 'ALERTING',
  reason: 1,
};

describe('protocol validators', () => {
  it('a request frame MUST carry kind, a positive integer id and a method', () => {
    expect(validators.clientFrame.check({ kind: 'request', id: 1, method: 'hello', params: { protocols: [1] } })).toBe(
      true,
    );
    expect(validators.clientFrame.check({ kind: 'request', id: 0, method: 'hello' })).toBe(false);
    expect(validators.clientFrame.check({ kind: 'request', id: 1.5, method: 'hello' })).toBe(false);
    expect(validators.clientFrame.check({ kind: 'shout', id: 1 })).toBe(false);
    expect(validators.clientFrame.check({ kind: 'ping', nonce: 4 })).toBe(true);
  });

  it('a params problem MUST name the field by its path', () => {
    const problem = validators.methods['observer.add'].params.problem({
      providerId: 'p-1',
      target: { kind: 'terminal' },
    });
    expect(problem?.path).toBe('/target');
    expect(validators.methods['provider.open'].params.problem({ user: 'u' })?.path).toBe('/password');
  });

  it('an event MUST have the numeric id of its JTAPI type', () => {
    expect(validators.event.check(connectionEvent)).toBe(true);
    expect(validators.event.check({ ...connectionEvent, id: 105 })).toBe(false);
    expect(validators.event.check({ ...connectionEvent, connectionState: 'RINGING' })).toBe(false);
  });

  it('every JTAPI event id MUST have its schema, and every schema its id', () => {
    expect(Object.keys(eventSchemas).sort()).toEqual(Object.keys(EventId).sort());
    for (const [type, schema] of Object.entries(eventSchemas)) {
      expect(schema.properties.id.const).toBe(EventId[type as keyof typeof EventId]);
    }
  });

  it("an events frame MUST be judged by each event's own schema exactly as by the whole union", () => {
    const union = TypeCompiler.Compile(ServerFrame);
    const frame = (events: unknown[]): unknown => ({ kind: 'events', providerId: 'p-1', events });
    const cases: unknown[] = [
      frame([connectionEvent, { ...connectionEvent, seq: 4 }]),
      frame([]),
      frame([connectionEvent, { ...connectionEvent, type: 'ConnAlertingEvX' }]),
      frame([{ ...connectionEvent, id: 105 }]),
      frame([{ ...connectionEvent, type: 'ConnConnectedEv', id: 105, connectionState: 'CONNECTED' }]),
      frame([{ ...connectionEvent, type: 'ConnConnectedEv', id: 105, connectionState: 'ALERTING' }]),
      frame([null]),
      frame([{ seq: 1, observerId: null, id: 111, type: 'ProvInServiceEv', at: 1 }]),
      frame([{ seq: 1, observerId: null, id: 111, type: 'ProvInServiceEv' }]),
      { kind: 'events', providerId: 'p-1' },
      { kind: 'events', providerId: 'p-1', events: [connectionEvent], extra: 1 },
      { kind: 'ping', nonce: 1 },
      { kind: 'pong' },
    ];
    for (const value of cases) {
      expect(validators.serverFrame.check(value), JSON.stringify(value)).toBe(union.Check(value));
    }
    expect(cases.filter((value) => validators.serverFrame.check(value)).length).toBeGreaterThan(3);
    expect(validators.serverFrame.problem(cases[3])).toBeDefined();
  });
});
