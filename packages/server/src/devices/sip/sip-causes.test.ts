import { describe, expect, it } from 'vitest';
import { causeFromStatus, q850FromStatus } from './sip-causes.js';

describe('SIP responses as causes', () => {
  it('a final response MUST map to the Q.850 cause of RFC 3398 §8.2.6.1', () => {
    const table: Array<[number, number]> = [
      [404, 1],
      [480, 18],
      [486, 17],
      [600, 17],
      [603, 21],
      [403, 21],
      [408, 102],
      [484, 28],
      [500, 41],
      [502, 38],
      [503, 41],
    ];
    expect(table.map(([status]) => [status, q850FromStatus(status)])).toEqual(table);
  });

  it('responses the table leaves out MUST fall back by class: 4xx/5xx temporary failure, 6xx call rejected', () => {
    expect([q850FromStatus(488), q850FromStatus(599), q850FromStatus(606)]).toEqual([41, 41, 21]);
  });

  it("the cause MUST keep the kind the engine routes by (and the status the caller gets) with the response's Q.850 value", () => {
    expect(causeFromStatus(486)).toEqual({ reason: 'busy', q850: 17, sipStatus: 486 });
    expect(causeFromStatus(600)).toEqual({ reason: 'busy', q850: 17, sipStatus: 486 });
    expect(causeFromStatus(480)).toEqual({ reason: 'unavailable', q850: 18, sipStatus: 480 });
    expect(causeFromStatus(408)).toEqual({ reason: 'unavailable', q850: 102, sipStatus: 480 });
    expect(causeFromStatus(503)).toEqual({ reason: 'congestion', q850: 41, sipStatus: 503 });
  });
});
