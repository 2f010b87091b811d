import { describe, expect, it } from 'vitest';
import { DigitAnalyzer, PatternError } from './digit-analysis.js';

function analyzer(entries: string[]): DigitAnalyzer<string> {
  const table = new DigitAnalyzer<string>();
  for (const entry of entries) table.add(entry, entry);
  return table;
}

describe('digit analysis', () => {
  it('an exact number MUST match only itself', () => {
    const table = analyzer(['1001']);
    expect(table.analyse('1001')?.target).toBe('1001');
    expect(table.analyse('100')).toBeUndefined();
    expect(table.analyse('10011')).toBeUndefined();
  });

  it('X MUST match exactly one digit', () => {
    const table = analyzer(['5XX']);
    expect(table.analyse('512')?.pattern).toBe('5XX');
    expect(table.analyse('51')).toBeUndefined();
    expect(table.analyse('5123')).toBeUndefined();
    expect(table.analyse('5a1')).toBeUndefined();
  });

  it('! MUST match one or more digits, and only at the end', () => {
    const table = analyzer(['9!']);
    expect(table.analyse('9')).toBeUndefined();
    expect(table.analyse('90')?.pattern).toBe('9!');
    expect(table.analyse('9044123456')?.pattern).toBe('9!');
    expect(table.analyse('9#')).toBeUndefined();
    expect(() => analyzer(['9!1'])).toThrow(PatternError);
  });

  it('[ranges] and [sets] MUST match one digit from the set', () => {
    const table = analyzer(['7[1-3]5', '8[147]']);
    expect(table.analyse('725')?.pattern).toBe('7[1-3]5');
    expect(table.analyse('745')).toBeUndefined();
    expect(table.analyse('84')?.pattern).toBe('8[147]');
    expect(table.analyse('85')).toBeUndefined();
    expect(() => analyzer(['7[3-1]'])).toThrow(PatternError);
    expect(() => analyzer(['7[1-3'])).toThrow(PatternError);
  });

  it('an exact number MUST win over a pattern that also matches', () => {
    const table = analyzer(['10XX', '1001']);
    expect(table.analyse('1001')?.target).toBe('1001');
    expect(table.analyse('1002')?.target).toBe('10XX');
  });

  it('the closest match (the pattern matching fewest numbers) MUST win', () => {
    const table = analyzer(['1!', '1XXX', '10XX', '10[0-4]X']);
    expect(table.analyse('1023')?.pattern).toBe('10[0-4]X');
    expect(table.analyse('1093')?.pattern).toBe('10XX');
    expect(table.analyse('1193')?.pattern).toBe('1XXX');
    expect(table.analyse('11934')?.pattern).toBe('1!');
  });

  it('adding the same number or pattern twice MUST be refused', () => {
    const table = analyzer(['1001', '2XXX']);
    expect(() => table.add('1001', 'again')).toThrow(PatternError);
    expect(() => table.add('2XXX', 'again')).toThrow(PatternError);
  });
});
