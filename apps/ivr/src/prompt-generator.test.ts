import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { levelDb, readWav } from '@strowger/media';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { numberPromptIds, promptCatalog } from './prompt-catalog.js';
import { generatePrompts } from './prompt-generator.js';

/** The RMS level of a WAV file in dBFS, and its length in seconds. */
async function measure(file: string): Promise<{ db: number; seconds: number }> {
  const samples = readWav(await readFile(file), file);
  return { db: levelDb(samples), seconds: samples.length / 8000 };
}

describe('prompts spoken by espeak-ng at build time', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'ivr-prompts-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('makes every prompt of the catalog as an 8 kHz WAV with speech in it, never silence', async () => {
    const catalog = promptCatalog();
    const { made } = await generatePrompts({ directory, prompts: catalog });
    expect([...made].sort()).toEqual(Object.keys(catalog).sort());
    for (const id of Object.keys(catalog)) {
      const { db, seconds } = await measure(join(directory, `${id}.wav`));
      // Speech normalised to -3 dBFS peak has an RMS far above the -45 dBFS of silence.
      expect(db, id).toBeGreaterThan(-30);
      expect(seconds, id).toBeGreaterThan(0.2);
    }
    const header = await readFile(join(directory, 'main-menu.wav'));
    expect(header.readUInt16LE(22)).toBe(1); // mono
    expect(header.readUInt32LE(24)).toBe(8000); // 8 kHz
    expect(header.readUInt16LE(34)).toBe(16); // 16-bit
  }, 120_000);

  it('skips prompts that are up to date and remakes one whose words changed', async () => {
    await generatePrompts({ directory, prompts: { goodbye: 'Goodbye.', beep: { tone: { hz: 1000, seconds: 0.4 } } } });
    const before = await stat(join(directory, 'goodbye.wav'));
    const again = await generatePrompts({
      directory,
      prompts: { goodbye: 'Goodbye and thank you.', beep: { tone: { hz: 1000, seconds: 0.4 } } },
    });
    expect(again).toEqual({ made: ['goodbye'], upToDate: ['beep'] });
    expect((await measure(join(directory, 'goodbye.wav'))).seconds).toBeGreaterThan(0);
    expect((await stat(join(directory, 'goodbye.wav'))).mtimeMs).toBeGreaterThanOrEqual(before.mtimeMs);
  });

  it('fails naming the Debian packages when espeak-ng and sox are missing', async () => {
    const path = process.env.PATH;
    process.env.PATH = directory;
    try {
      await expect(generatePrompts({ directory, prompts: { goodbye: 'Goodbye.' } })).rejects.toThrow(
        /apt-get install espeak-ng sox/,
      );
    } finally {
      process.env.PATH = path;
    }
  });

  it('reads counts aloud with the number words', () => {
    expect(numberPromptIds(0)).toEqual(['number-0']);
    expect(numberPromptIds(17)).toEqual(['number-17']);
    expect(numberPromptIds(40)).toEqual(['number-40']);
    expect(numberPromptIds(342)).toEqual(['number-3', 'number-hundred', 'number-40', 'number-2']);
    expect(numberPromptIds(2005)).toEqual(['number-2', 'number-thousand', 'number-5']);
    const catalog = promptCatalog();
    for (let n = 0; n < 1200; n++) for (const id of numberPromptIds(n)) expect(catalog[id], id).toBeDefined();
  });
});
