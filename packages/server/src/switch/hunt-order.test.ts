import { describe, expect, it } from 'vitest';
import type { HuntAlgorithm, SwitchLineGroup } from './config.js';
import { huntOrder, type MemberState } from './hunt-order.js';

const group = (algorithm: HuntAlgorithm): SwitchLineGroup => ({
  name: 'g',
  algorithm,
  rnaTimeoutSeconds: 10,
  huntOptions: { noAnswer: 'try-next-member-then-group', busy: 'try-next-member-then-group', notAvailable: 'stop' },
  members: ['1', '2', '3', '4'],
});

const states: Record<string, MemberState> = {
  '1': { liveCalls: 0, idleSince: 300 },
  '2': { liveCalls: 1, idleSince: 0 },
  '3': { liveCalls: 0, idleSince: 100 },
  '4': { liveCalls: 0, idleSince: 100 },
};
const state = (dn: string) => states[dn]!;

describe('hunt order (CUCM distribution algorithms)', () => {
  it('top down MUST always start at the first member', () => {
    expect(huntOrder(group('top-down'), state, '2')).toEqual(['1', '2', '3', '4']);
  });

  it('circular MUST start after the member that last got a call, and wrap round', () => {
    expect(huntOrder(group('circular'), state, undefined)).toEqual(['1', '2', '3', '4']);
    expect(huntOrder(group('circular'), state, '2')).toEqual(['3', '4', '1', '2']);
    expect(huntOrder(group('circular'), state, '4')).toEqual(['1', '2', '3', '4']);
    expect(huntOrder(group('circular'), state, 'gone')).toEqual(['1', '2', '3', '4']);
  });

  it('longest idle MUST offer only idle members, longest idle first, ties in member order', () => {
    expect(huntOrder(group('longest-idle'), state, undefined)).toEqual(['3', '4', '1']);
  });

  it('broadcast MUST list every member (they ring at once)', () => {
    expect(huntOrder(group('broadcast'), state, undefined)).toEqual(['1', '2', '3', '4']);
  });
});
