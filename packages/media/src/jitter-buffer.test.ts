import { describe, expect, it } from 'vitest';
import { JitterBuffer } from './jitter-buffer.js';

const packet = (sequence: number) => ({ sequence });

/** Pushes each sequence number in turn and returns those released, in release order. */
function feed(buffer: JitterBuffer<{ sequence: number }>, sequences: number[]): number[] {
  const released: number[] = [];
  for (const sequence of sequences) buffer.push(packet(sequence), (p) => released.push(p.sequence));
  return released;
}

const verdict = (buffer: JitterBuffer<{ sequence: number }>, sequence: number) =>
  buffer.push(packet(sequence), () => undefined);

describe('jitter buffer', () => {
  it('packets in order MUST come straight out, across the 16-bit wrap', () => {
    expect(feed(new JitterBuffer(), [65534, 65535, 0, 1])).toEqual([65534, 65535, 0, 1]);
  });

  it('reordered packets MUST come out in sequence order', () => {
    const buffer = new JitterBuffer();
    expect(feed(buffer, [10, 12, 11, 14, 13, 15])).toEqual([10, 11, 12, 13, 14, 15]);
    expect(buffer.stats.lost).toBe(0);
  });

  it('a lost packet MUST be given up once `depth` later packets wait behind it, and counted', () => {
    const buffer = new JitterBuffer({ depth: 3 });
    expect(feed(buffer, [1, 3, 4])).toEqual([1]);
    expect(feed(buffer, [5])).toEqual([3, 4, 5]);
    expect(buffer.stats.lost).toBe(1);
  });

  it('a duplicate, or a packet after its turn, MUST be dropped and counted', () => {
    const buffer = new JitterBuffer({ depth: 3 });
    expect(verdict(buffer, 1)).toBe('accepted');
    expect(verdict(buffer, 3)).toBe('accepted');
    expect(verdict(buffer, 3)).toBe('duplicate');
    expect(feed(buffer, [4, 5])).toEqual([3, 4, 5]);
    expect(verdict(buffer, 2)).toBe('late');
    expect(verdict(buffer, 1)).toBe('late');
    expect(buffer.stats).toEqual({ accepted: 4, duplicates: 1, late: 2, lost: 1, resyncs: 0 });
  });

  it('it MUST stay bounded: a jump beyond its capacity releases what it holds and starts again there', () => {
    const buffer = new JitterBuffer({ depth: 3, capacity: 8 });
    expect(feed(buffer, [1, 3])).toEqual([1]);
    expect(buffer.size).toBe(1);
    expect(feed(buffer, [500])).toEqual([3, 500]);
    expect(buffer.stats.resyncs).toBe(1);
    expect(feed(buffer, [501])).toEqual([501]);
  });

  it('a peer that restarted its sequence lower MUST be followed after a run of "late" packets', () => {
    const buffer = new JitterBuffer({ depth: 3, capacity: 8 });
    feed(buffer, [1000, 1001]);
    const restarted = Array.from({ length: 10 }, (_, i) => 100 + i);
    const out = feed(buffer, restarted);
    expect(out.length).toBeGreaterThan(0);
    expect(out.at(-1)).toBe(109);
  });

  it('flush MUST release everything held, in order', () => {
    const buffer = new JitterBuffer({ depth: 5 });
    feed(buffer, [1, 4, 3]);
    const flushed: number[] = [];
    buffer.flush((p) => flushed.push(p.sequence));
    expect(flushed).toEqual([3, 4]);
    expect(buffer.size).toBe(0);
  });
});
