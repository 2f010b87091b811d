import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorCode, StrowgerError } from '@strowger/core';
import type { Spoken } from './config-schema.js';
import { digitPromptId, numberPromptIds, promptCatalog, type PhraseId } from './prompt-catalog.js';
import { generatePrompts } from './prompt-generator.js';

/** The prompts the build made: the package's `prompts` folder (beside `src` and `dist`). */
export function defaultPromptDirectory(): string {
  return fileURLToPath(new URL('../prompts/', import.meta.url));
}

/**
 * Prompt files by what they say: the built-in catalog's phrases, numbers and digits, and the
 * configuration's own greetings. Flows ask it for file names and never build paths themselves.
 */
export class PromptLibrary {
  readonly #directory: string;
  readonly #spoken = new Map<string, string>();

  constructor(directory: string) {
    this.#directory = directory;
  }

  phrase(id: PhraseId): string {
    return join(this.#directory, `${id}.wav`);
  }

  /** A count read aloud: 21 → "twenty one". */
  count(n: number): string[] {
    return numberPromptIds(n).map((id) => join(this.#directory, `${id}.wav`));
  }

  /** A number read digit by digit: an extension, a caller's number. */
  digits(digits: string): string[] {
    return [...digits].filter((d) => /[0-9*#]/.test(d)).map((d) => join(this.#directory, `${digitPromptId(d)}.wav`));
  }

  /** A configured greeting: its recorded file, or the file `prepareSpoken` made from its text. */
  spoken(spoken: Spoken): string {
    if ('file' in spoken) return spoken.file;
    const file = this.#spoken.get(spoken.text);
    if (file === undefined) {
      throw new StrowgerError(
        ErrorCode.Internal,
        `the prompt "${spoken.text}" was not prepared; call prepareSpoken first`,
      );
    }
    return file;
  }

  /** Speaks the configuration's text greetings into `directory` (unchanged ones are kept). */
  async prepareSpoken(texts: readonly Spoken[], directory: string, voice: string): Promise<void> {
    const prompts: Record<string, string> = {};
    for (const spoken of texts) {
      if (!('text' in spoken)) continue;
      const id = `text-${createHash('sha256').update(spoken.text).digest('hex').slice(0, 16)}`;
      prompts[id] = spoken.text;
      this.#spoken.set(spoken.text, join(directory, `${id}.wav`));
    }
    await generatePrompts({ directory, prompts, voice });
  }

  /** Every built-in prompt's file, for a start-up check that the build made them. */
  catalogFiles(): string[] {
    return Object.keys(promptCatalog()).map((id) => join(this.#directory, `${id}.wav`));
  }
}
