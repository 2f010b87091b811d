import type { ImportStatus } from '../../store/index.js';

/** Where progress is written: a terminal gets one line redrawn in place, anything else plain lines. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

const barWidth = 30;
/** Without a terminal, a line at each tenth of the way (and at each change of state). */
const plainSteps = 10;

/**
 * The progress of an import as the command line shows it: on a terminal a bar redrawn in place
 * (`validating [#########.....] 6000/10000 rows`), elsewhere (a log, a pipe) one plain line per
 * state and per tenth of the way, so a log stays short and readable.
 */
export class ImportProgressDisplay {
  readonly #out: ProgressStream;
  readonly #dryRun: boolean;
  #lastState: string | undefined;
  #lastStep = -1;
  #drawn = false;

  constructor(out: ProgressStream, dryRun: boolean) {
    this.#out = out;
    this.#dryRun = dryRun;
  }

  update(status: ImportStatus): void {
    if (status.state === 'done' || status.state === 'failed') return;
    const { done, total } = status.progress;
    const phase = status.state === 'applying' ? 'applying' : this.#dryRun ? 'checking (dry run)' : 'checking';
    if (this.#out.isTTY === true) {
      const filled = total === 0 ? 0 : Math.round((done / total) * barWidth);
      const bar = `${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}`;
      this.#out.write(`\r${phase.padEnd(18)} [${bar}] ${done}/${total} rows`);
      this.#drawn = true;
      return;
    }
    const step = total === 0 ? 0 : Math.floor((done / total) * plainSteps);
    if (status.state === this.#lastState && step === this.#lastStep) return;
    this.#lastState = status.state;
    this.#lastStep = step;
    this.#out.write(`${phase}: ${done}/${total} rows\n`);
  }

  /** Ends the display: the bar's line is finished, so what follows starts on a line of its own. */
  finish(status: ImportStatus): void {
    if (this.#out.isTTY === true) {
      if (this.#drawn) this.#out.write('\n');
      return;
    }
    if (status.state === 'done') this.#out.write(`done: ${status.progress.done}/${status.progress.total} rows\n`);
  }
}
