import { FakeClock } from '@strowger/core';
import { describe, expect, it } from 'vitest';
import { DigitCollector } from './digit-collector.js';

describe('digit collector', () => {
  it('keys typed ahead MUST be collected first, and a terminator typed ahead MUST end the collection', async () => {
    const collector = new DigitCollector(new FakeClock(0));
    collector.push('1');
    collector.push('2');
    collector.push('#');
    collector.push('9');
    expect(await collector.collect({ max: 5, terminator: '#' })).toEqual({ digits: '12', reason: 'terminator' });
    expect(collector.pending).toBe('9');
  });

  it('a second collection MUST wait for the first and get the keys after it', async () => {
    const clock = new FakeClock(0);
    const collector = new DigitCollector(clock);
    const first = collector.collect({ max: 2 });
    const second = collector.collect({ max: 1, timeout: 1000 });
    collector.push('3');
    collector.push('4');
    collector.push('5');
    expect(await first).toEqual({ digits: '34', reason: 'max' });
    expect(await second).toEqual({ digits: '5', reason: 'max' });
    expect(clock.pendingTimers).toBe(0);
  });

  it('the first-digit timer MUST give way to the inter-digit timer once a key is pressed', async () => {
    const clock = new FakeClock(0);
    const collector = new DigitCollector(clock);
    const collecting = collector.collect({ max: 4, timeout: 5000, interDigitTimeout: 2000 });
    clock.advance(4000);
    collector.push('7');
    clock.advance(1999);
    collector.push('8');
    clock.advance(1999);
    collector.push('9');
    clock.advance(2000);
    expect(await collecting).toEqual({ digits: '789', reason: 'interDigitTimeout' });
    expect(clock.pendingTimers).toBe(0);
  });

  it('close MUST reject the running collection and those waiting', async () => {
    const collector = new DigitCollector(new FakeClock(0));
    const running = collector.collect({});
    const waiting = collector.collect({});
    collector.close(new Error('the call ended'));
    await expect(running).rejects.toThrow('the call ended');
    await expect(waiting).rejects.toThrow('the call ended');
  });
});
