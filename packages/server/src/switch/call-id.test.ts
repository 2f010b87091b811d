import { describe, expect, it } from 'vitest';
import { newCallId } from './call-id.js';

describe('call ids', () => {
  it('a call id MUST be 26 Crockford base32 characters that sort by start time', () => {
    const earlier = newCallId(Date.UTC(2026, 0, 1));
    const later = newCallId(Date.UTC(2026, 0, 1, 0, 0, 0, 1));
    expect(earlier).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(earlier < later).toBe(true);
  });

  it('ids made in the same millisecond (another node, a restart) MUST differ', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newCallId(1_700_000_000_000)));
    expect(ids.size).toBe(1000);
  });
});
