import { describe, expect, it } from 'vitest';
import { withUnshownFields } from './merge';

describe('the document a form sends with PUT', () => {
  it('MUST keep the fields the form does not show, and take the ones it owns from the form', () => {
    const loaded = { userId: 'ivr', devices: ['A'], groups: ['G'], ctiControlledProfiles: ['P'] };
    const sent = withUnshownFields(loaded, ['userId', 'devices', 'groups'], {
      userId: 'ivr',
      devices: ['B'],
      groups: [],
    });
    expect(sent).toEqual({ userId: 'ivr', devices: ['B'], groups: [], ctiControlledProfiles: ['P'] });
  });

  it('an owned field the form left out MUST be left out, so that PUT clears it', () => {
    const loaded = { dn: '1001', description: 'old', maxCalls: 4 };
    expect(withUnshownFields(loaded, ['dn', 'description', 'maxCalls'], { dn: '1001' })).toEqual({ dn: '1001' });
  });

  it('a new object MUST be what the form has', () => {
    expect(withUnshownFields(undefined, ['dn'], { dn: '1001' })).toEqual({ dn: '1001' });
  });
});
