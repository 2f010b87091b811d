/**
 * Build step: speaks every prompt of the catalog into prompts/ (8 kHz mono WAV), skipping those that
 * are up to date. Needs espeak-ng and sox (Debian packages of the same names).
 */
import { defaultPromptDirectory } from '../src/prompt-library.js';
import { promptCatalog } from '../src/prompt-catalog.js';
import { generatePrompts } from '../src/prompt-generator.js';

try {
  const directory = defaultPromptDirectory();
  const { made, upToDate } = await generatePrompts({ directory, prompts: promptCatalog() });
  process.stdout.write(`prompts in ${directory}: ${made.length} made, ${upToDate.length} up to date\n`);
} catch (error) {
  process.stderr.write(`make-prompts: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
