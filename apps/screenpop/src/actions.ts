import { spawn } from 'node:child_process';
import type { PopFields } from './url-template.js';

/** One screen pop: the filled URL and the fields it was filled from. */
export interface Pop extends PopFields {
  readonly url: string;
  /** When the pop was decided, ms since the epoch. */
  readonly at: number;
}

export type PopAction = (pop: Pop) => Promise<void>;

/** Prints the URL, one line per pop, for piping into another tool. */
export function printAction(write: (line: string) => void): PopAction {
  return async (pop) => {
    write(`${pop.url}\n`);
  };
}

/** POSTs the pop as JSON to `endpoint`; a non-2xx answer is an error the caller logs. */
export function webhookAction(endpoint: string): PopAction {
  return async (pop) => {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(pop),
    });
    if (!response.ok) throw new Error(`the webhook ${endpoint} answered ${response.status} ${response.statusText}`);
  };
}

/** The command that opens a URL in the default browser on this platform. */
export function browserCommand(platform: NodeJS.Platform, url: string): { command: string; args: string[] } {
  if (platform === 'darwin') return { command: 'open', args: [url] };
  // `start` is a cmd built-in; its first quoted argument is the window title, hence the empty one.
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""', url.replace(/&/g, '^&')] };
  return { command: 'xdg-open', args: [url] };
}

/** Opens the URL in the default browser (xdg-open, open or start). */
export function openAction(platform: NodeJS.Platform = process.platform): PopAction {
  return (pop) =>
    new Promise((resolve, reject) => {
      const { command, args } = browserCommand(platform, pop.url);
      const child = spawn(command, args, { stdio: 'ignore', detached: true });
      child.once('error', (err) => reject(new Error(`could not run ${command} to open the browser: ${err.message}`)));
      child.once('spawn', () => {
        // The browser outlives us; do not wait for it.
        child.unref();
        resolve();
      });
    });
}
