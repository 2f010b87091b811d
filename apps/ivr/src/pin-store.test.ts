import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock, silentLogger } from '@strowger/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PinStore } from './pin-store.js';

describe('voicemail PINs', () => {
  let directory: string;
  let clock: FakeClock;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'ivr-pins-'));
    clock = new FakeClock();
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });
  const open = () =>
    new PinStore({
      directory,
      clock,
      logger: silentLogger,
      policy: { initialPin: '12345', minPinLength: 4, lockoutAfter: 3, lockoutMinutes: 30 },
    });

  it('a mailbox starts with the initial PIN, which must be changed; the new one is stored hashed', async () => {
    const pins = open();
    expect(await pins.verify('1001', '12345')).toBe('ok');
    expect(await pins.mustChange('1001')).toBe(true);
    await pins.change('1001', '4862');
    expect(await open().verify('1001', '12345')).toBe('wrong');
    expect(await open().verify('1001', '4862')).toBe('ok');
    expect(await open().mustChange('1001')).toBe(false);
    const file = await readFile(join(directory, 'pins.json'), 'utf8');
    expect(file).not.toContain('4862');
    expect(file).toContain('scrypt$');
  });

  it('locks the mailbox after repeated failures across calls, refuses even the right PIN, and unlocks after the lock-out', async () => {
    await open().change('1001', '4862');
    expect(await open().verify('1001', '0000')).toBe('wrong');
    expect(await open().verify('1001', '1111')).toBe('wrong');
    expect(await open().verify('1001', '2222')).toBe('locked');
    expect(await open().verify('1001', '4862')).toBe('locked');
    clock.advance(29 * 60_000);
    expect(await open().verify('1001', '4862')).toBe('locked');
    clock.advance(60_000);
    expect(await open().verify('1001', '4862')).toBe('ok');
  });

  it('a right PIN resets the failure count', async () => {
    const pins = open();
    expect(await pins.verify('1001', '0000')).toBe('wrong');
    expect(await pins.verify('1001', '1111')).toBe('wrong');
    expect(await pins.verify('1001', '12345')).toBe('ok');
    expect(await pins.verify('1001', '0000')).toBe('wrong');
    expect(await pins.verify('1001', '0000')).toBe('wrong');
    expect(await pins.verify('1001', '12345')).toBe('ok');
  });

  it('refuses weak new PINs with the reason', async () => {
    const pins = open();
    expect(pins.problem('1001', '12')).toMatch(/4 to 20 digits/);
    expect(pins.problem('1001', '1001')).toMatch(/mailbox number/);
    expect(pins.problem('1001', '12345')).toMatch(/initial PIN/);
    expect(pins.problem('1001', '7777')).toMatch(/repeat/);
    expect(pins.problem('1001', '4862')).toBeUndefined();
    await expect(pins.change('1001', '7777')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('a reset gives the initial PIN back and unlocks, taking effect in a running store', async () => {
    const running = open();
    await running.change('1001', '4862');
    for (const pin of ['0000', '1111', '2222']) await running.verify('1001', pin);
    expect(await running.verify('1001', '4862')).toBe('locked');
    expect(await open().reset('1001')).toBe(true);
    expect(await running.verify('1001', '12345')).toBe('ok');
    expect(await running.mustChange('1001')).toBe(true);
  });

  it('counts every failure when several calls try PINs at once', async () => {
    const pins = open();
    await Promise.all(['0000', '1111', '2222'].map((pin) => pins.verify('1001', pin)));
    expect(await pins.verify('1001', '12345')).toBe('locked');
  });
});
