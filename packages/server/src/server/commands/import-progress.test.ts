import { describe, expect, it } from 'vitest';
import type { ImportStatus } from '../../store/index.js';
import { outcomeText } from './import.js';
import { ImportProgressDisplay } from './import-progress.js';

function status(state: ImportStatus['state'], done: number, total: number): ImportStatus {
  return {
    id: 'i',
    state,
    progress: { done, total },
    problems: [],
    summary: { kind: 'phones', dryRun: false, rows: total, created: total, updated: 0, unchanged: 0, version: 7 },
  };
}

function recorder(isTTY: boolean) {
  const written: string[] = [];
  return { written, out: { isTTY, write: (text: string) => written.push(text) } };
}

describe('the import progress display', () => {
  it('on a terminal MUST redraw one line with a bar, and end it before the result', () => {
    const { written, out } = recorder(true);
    const display = new ImportProgressDisplay(out, false);
    display.update(status('validating', 0, 10_000));
    display.update(status('applying', 5_000, 10_000));
    display.finish(status('done', 10_000, 10_000));
    expect(written).toEqual([
      `\rchecking           [${'.'.repeat(30)}] 0/10000 rows`,
      `\rapplying           [${'#'.repeat(15)}${'.'.repeat(15)}] 5000/10000 rows`,
      '\n',
    ]);
  });

  it('elsewhere MUST write a plain line per state and per tenth of the way, no more', () => {
    const { written, out } = recorder(false);
    const display = new ImportProgressDisplay(out, true);
    for (let done = 0; done <= 1000; done += 50) display.update(status('validating', done, 1000));
    display.finish(status('done', 1000, 1000));
    expect(written).toHaveLength(12);
    expect(written[0]).toBe('checking (dry run): 0/1000 rows\n');
    expect(written[1]).toBe('checking (dry run): 100/1000 rows\n');
    expect(written.at(-1)).toBe('done: 1000/1000 rows\n');
  });

  it('MUST print each problem by row and column', () => {
    const failed: ImportStatus = {
      ...status('failed', 3, 3),
      problems: [
        { row: 12, column: 'dn', message: '"12a" is not valid' },
        { row: 4, column: '', message: 'the row has 9 cells but the header names 8 columns' },
      ],
    };
    expect(outcomeText(failed, 'phones.csv', 'x').split('\n')).toEqual([
      'row 12, column "dn": "12a" is not valid',
      'row 4: the row has 9 cells but the header names 8 columns',
      'phones.csv: 2 problems; nothing was imported',
    ]);
  });
});
