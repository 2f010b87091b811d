import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ErrorCode, StrowgerError } from '@strowger/core';
import { writeFileAtomic } from './atomic-file.js';
import type { PromptSource } from './prompt-catalog.js';

const run = promisify(execFile);

/** Bumped when the way prompts are made changes, so every prompt is made again. */
const generatorVersion = 1;
const manifestName = 'manifest.json';

export interface GeneratePromptsOptions {
  /** Where the WAV files go (`<id>.wav`) with a manifest of what each was made from. */
  readonly directory: string;
  readonly prompts: Readonly<Record<string, PromptSource>>;
  /** The espeak-ng voice (default en-us). */
  readonly voice?: string;
  /** Words per minute (default 150: a little slower than espeak-ng's default, clearer on a phone). */
  readonly wordsPerMinute?: number;
}

export interface GeneratePromptsResult {
  readonly made: readonly string[];
  readonly upToDate: readonly string[];
}

/** Fails with the Debian packages to install when espeak-ng or sox is not there. */
export async function checkSpeechTools(): Promise<void> {
  const missing: string[] = [];
  for (const [command, args] of [
    ['espeak-ng', ['--version']],
    ['sox', ['--version']],
  ] as const) {
    try {
      await run(command, [...args]);
    } catch {
      missing.push(command);
    }
  }
  if (missing.length > 0) {
    throw new StrowgerError(
      ErrorCode.ResourceUnavailable,
      `the IVR's prompts are spoken by espeak-ng and converted by sox, and ${missing.join(' and ')} ` +
        `${missing.length === 1 ? 'is' : 'are'} not installed: run \`apt-get install espeak-ng sox\` ` +
        '(Debian packages espeak-ng and sox), then build again',
    );
  }
}

function fingerprint(source: PromptSource, voice: string, wordsPerMinute: number): string {
  return createHash('sha256')
    .update(JSON.stringify({ generatorVersion, source, voice, wordsPerMinute }))
    .digest('hex')
    .slice(0, 16);
}

async function readManifest(directory: string): Promise<Record<string, string>> {
  try {
    const parsed: unknown = JSON.parse(await readFile(join(directory, manifestName), 'utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

/** Speaks `text` (or synthesises a tone) into an 8 kHz mono 16-bit WAV file. */
async function makePrompt(file: string, source: PromptSource, voice: string, wordsPerMinute: number): Promise<void> {
  const partial = `${file}.making.wav`;
  try {
    if (typeof source === 'string') {
      const spoken = `${file}.espeak.wav`;
      try {
        await run('espeak-ng', ['-v', voice, '-s', String(wordsPerMinute), '-w', spoken, '--', source]);
        // Telephone rate, one channel, 16-bit; normalised to -3 dBFS so every prompt is as loud.
        await run('sox', [spoken, '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', partial, 'norm', '-3']);
      } finally {
        await rm(spoken, { force: true });
      }
    } else {
      const { hz, seconds } = source.tone;
      await run('sox', [
        '-n',
        '-r',
        '8000',
        '-c',
        '1',
        '-b',
        '16',
        '-e',
        'signed-integer',
        partial,
        'synth',
        String(seconds),
        'sine',
        String(hz),
        'vol',
        '0.5',
      ]);
    }
    await writeFileAtomic(file, await readFile(partial));
  } finally {
    await rm(partial, { force: true });
  }
}

/**
 * Makes every prompt whose file is missing or was made from other words, voice or speed, and leaves
 * the others alone, so a second build costs nothing. The manifest is written after each prompt, so
 * an interrupted run resumes where it stopped.
 */
export async function generatePrompts(options: GeneratePromptsOptions): Promise<GeneratePromptsResult> {
  const { directory, prompts, voice = 'en-us', wordsPerMinute = 150 } = options;
  await mkdir(directory, { recursive: true });
  const manifest = await readManifest(directory);
  const made: string[] = [];
  const upToDate: string[] = [];
  let checked = false;
  for (const [id, source] of Object.entries(prompts)) {
    if (!/^[a-z0-9-]+$/.test(id)) {
      throw new StrowgerError(ErrorCode.InvalidArgument, `prompt id "${id}" may hold only a-z, 0-9 and -`);
    }
    const file = join(directory, `${id}.wav`);
    const print = fingerprint(source, voice, wordsPerMinute);
    if (manifest[id] === print && (await exists(file))) {
      upToDate.push(id);
      continue;
    }
    if (!checked) await checkSpeechTools();
    checked = true;
    await makePrompt(file, source, voice, wordsPerMinute);
    manifest[id] = print;
    await writeFileAtomic(join(directory, manifestName), `${JSON.stringify(manifest, null, 2)}\n`);
    made.push(id);
  }
  return { made, upToDate };
}
