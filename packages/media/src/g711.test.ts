import { describe, expect, it } from 'vitest';
import { decodeG711, encodeG711 } from './g711.js';

describe('G.711', () => {
  it('silence MUST encode to 0xFF (µ-law) and 0xD5 (A-law), as the standard tables give', () => {
    expect(encodeG711('pcmu', [0])[0]).toBe(0xff);
    expect(encodeG711('pcma', [0])[0]).toBe(0xd5);
    expect(decodeG711('pcmu', Uint8Array.of(0xff))[0]).toBe(0);
    expect(decodeG711('pcmu', Uint8Array.of(0x00))[0]).toBe(-32124);
    expect(decodeG711('pcma', Uint8Array.of(0x55))[0]).toBe(-8);
  });

  it("a round trip MUST stay within the law's quantisation step, and every code MUST survive decode → encode", () => {
    for (const law of ['pcmu', 'pcma'] as const) {
      for (let sample = -32768; sample <= 32767; sample += 97) {
        const back = decodeG711(law, encodeG711(law, [sample]))[0]!;
        expect(Math.abs(back - sample)).toBeLessThanOrEqual(Math.max(16, Math.abs(sample) / 16) + 8);
      }
      for (let code = 0; code < 256; code++) {
        const linear = decodeG711(law, Uint8Array.of(code));
        const again = encodeG711(law, linear)[0]!;
        // µ-law has two codes for zero (0x7F, 0xFF); both decode to 0.
        expect(decodeG711(law, Uint8Array.of(again))[0]).toBe(linear[0]);
      }
    }
  });
});
