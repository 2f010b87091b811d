import { describe, expect, it } from 'vitest';
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
});
