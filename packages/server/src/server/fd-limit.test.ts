import { describe, expect, it } from 'vitest';
import { defaultTcpConnectionLimit, openFilesSoftLimit } from './fd-limit.js';

const limits = (soft: string) =>
  `Limit                     Soft Limit           Hard Limit           Units\nMax processes             63438                63438                processes\nMax open files            ${soft}                 1048576              files\n`;

describe('file descriptor headroom', () => {
  it('reads the soft limit on open files', () => {
    expect(openFilesSoftLimit(limits('1024'))).toBe(1024);
    expect(openFilesSoftLimit(limits('unlimited'))).toBe(Number.POSITIVE_INFINITY);
    expect(openFilesSoftLimit('nothing here')).toBeUndefined();
  });

  it('leaves at least half of the descriptors above a reserve to everything but SIP over TCP', () => {
    expect(defaultTcpConnectionLimit(1024)).toBe(384);
    expect(defaultTcpConnectionLimit(20_000)).toBe(4096);
    expect(defaultTcpConnectionLimit(Number.POSITIVE_INFINITY)).toBe(4096);
    expect(defaultTcpConnectionLimit(256)).toBe(16);
    expect(defaultTcpConnectionLimit(undefined)).toBe(1024);
  });
});
