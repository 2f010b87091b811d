/**
 * Build step: speaks the server's feature prompts (src/server/feature-prompts.ts) into prompts/ as
 * 8 kHz mono 16-bit WAV files with espeak-ng and sox. A prompt whose text, voice and making are
 * unchanged since its file was made is left alone, so a second build costs nothing.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { defaultFeaturePromptDirectory, featurePromptTexts } from '../src/server/feature-prompts.js';

const run = promisify(execFile);
/** Bumped when the way prompts are made changes: every prompt is made again. */
const makingVersion = 1;
const voice = 'en-us';
/** Words per minute: a little slower than espeak-ng's 175, clearer on a telephone line. */
const wordsPerMinute = 150;
const manifestName = 'manifest.json';

/** Thrown when the speech tools are missing: the one failure `--optional` lets a build go on past. */
class MissingTools extends Error {}

async function requireTools(): Promise<void> {
  const missing: string[] = [];
  for (const tool of ['espeak-ng', 'sox']) {
    try {
      await run(tool, ['--version']);
    } catch {
      missing.push(tool);
    }
  }
  if (missing.length > 0) {
    throw new MissingTools(
      `the server's spoken prompts are made with espeak-ng and sox, and ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} missing: ` +
        'install the Debian packages espeak-ng and sox (apt-get install espeak-ng sox), then build again',
    );
  }
}

const fingerprint = (text: string): string =>
  createHash('sha256')
    .update(JSON.stringify({ makingVersion, voice, wordsPerMinute, text }))
    .digest('hex')
    .slice(0, 16);

async function readManifest(file: string): Promise<Record<string, string>> {
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
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

/** Speaks one text into `file`: espeak-ng at its own rate, sox to telephone rate, normalised to -3 dBFS. */
async function speak(file: string, text: string): Promise<void> {
  const spoken = `${file}.espeak.wav`;
  const partial = `${file}.partial.wav`;
  try {
    await run('espeak-ng', ['-v', voice, '-s', String(wordsPerMinute), '-w', spoken, '--', text]);
    await run('sox', [spoken, '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', partial, 'norm', '-3']);
    await rename(partial, file);
  } finally {
    await rm(spoken, { force: true });
    await rm(partial, { force: true });
  }
}

async function main(): Promise<void> {
  const directory = defaultFeaturePromptDirectory;
  await mkdir(directory, { recursive: true });
  const manifestFile = join(directory, manifestName);
  const manifest = await readManifest(manifestFile);
  let made = 0;
  let checked = false;
  for (const [id, text] of Object.entries(featurePromptTexts)) {
    const file = join(directory, `${id}.wav`);
    const print = fingerprint(text);
    if (manifest[id] === print && (await exists(file))) continue;
    if (!checked) await requireTools();
    checked = true;
    await speak(file, text);
    manifest[id] = print;
    made += 1;
  }
  // Written once at the end: an interrupted build makes the prompts it had not recorded again.
  if (made > 0) await writeFile(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  const total = Object.keys(featurePromptTexts).length;
  process.stdout.write(`server prompts in ${directory}: ${made} made, ${total - made} up to date\n`);
}

main().catch((error: unknown) => {
  // With --optional (the root build, which `npm start` runs) missing speech tools do not stop the
  // server from being built: it runs, and only the phone feature codes refuse calls until the prompts exist.
  if (error instanceof MissingTools && process.argv.includes('--optional')) {
    process.stderr.write(
      `make-prompts: ${error.message}. The server is built without them; phone feature codes (Extension Mobility login) refuse calls until then.\n`,
    );
    return;
  }
  process.stderr.write(`make-prompts: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
