/**
 * Digit analysis: which configured pattern a dialled string reaches. Patterns use CUCM's wildcards:
 * `X` is any one digit, `[1-5]` / `[147]` one digit from a set, `!` one or more digits (only last),
 * anything else matches itself. An exact directory number always beats a pattern; among patterns the
 * one that matches the fewest strings wins (CUCM's "closest match"), ties going to the earlier one.
 */

type Element = { kind: 'literal'; char: string } | { kind: 'set'; digits: ReadonlySet<string> } | { kind: 'rest' };

interface CompiledPattern<T> {
  readonly pattern: string;
  readonly elements: readonly Element[];
  /** log10 of how many strings of digits it matches; `!` counts as unbounded. */
  readonly breadth: number;
  readonly order: number;
  readonly target: T;
}

const digits = '0123456789';

export class PatternError extends Error {
  constructor(pattern: string, why: string) {
    super(`pattern "${pattern}": ${why}`);
    this.name = 'PatternError';
  }
}

function compile(pattern: string): { elements: Element[]; breadth: number } {
  const elements: Element[] = [];
  let breadth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === 'X') {
      elements.push({ kind: 'set', digits: new Set(digits) });
      breadth += 1;
    } else if (c === '!') {
      if (i !== pattern.length - 1) throw new PatternError(pattern, '"!" may only come last');
      elements.push({ kind: 'rest' });
      breadth = Number.POSITIVE_INFINITY;
    } else if (c === '[') {
      const close = pattern.indexOf(']', i);
      if (close < 0) throw new PatternError(pattern, 'missing "]"');
      const set = new Set<string>();
      const body = pattern.slice(i + 1, close);
      for (let j = 0; j < body.length; j++) {
        const from = body.charAt(j);
        if (body.charAt(j + 1) === '-' && j + 2 < body.length) {
          const to = body.charAt(j + 2);
          if (!digits.includes(from) || !digits.includes(to) || to < from)
            throw new PatternError(pattern, `"${from}-${to}" is not a range of digits`);
          for (let d = Number(from); d <= Number(to); d++) set.add(String(d));
          j += 2;
        } else if (digits.includes(from)) {
          set.add(from);
        } else {
          throw new PatternError(pattern, `"${from}" cannot appear in a [set]`);
        }
      }
      if (set.size === 0) throw new PatternError(pattern, 'an empty [set] matches nothing');
      elements.push({ kind: 'set', digits: set });
      breadth += Math.log10(set.size);
      i = close;
    } else if (c === ']' || c === '-') {
      throw new PatternError(pattern, `unexpected "${c}"`);
    } else {
      elements.push({ kind: 'literal', char: c });
    }
  }
  return { elements, breadth };
}

function matches(elements: readonly Element[], dialled: string): boolean {
  let i = 0;
  for (const element of elements) {
    if (element.kind === 'rest') {
      if (i >= dialled.length) return false;
      for (; i < dialled.length; i++) if (!digits.includes(dialled.charAt(i))) return false;
      return true;
    }
    if (i >= dialled.length) return false;
    const c = dialled.charAt(i);
    if (element.kind === 'literal' ? c !== element.char : !element.digits.has(c)) return false;
    i++;
  }
  return i === dialled.length;
}

export function isPattern(text: string): boolean {
  return /[X![\]]/.test(text);
}

/** A routing table from patterns (or exact numbers) to targets, rebuilt when configuration changes. */
export class DigitAnalyzer<T> {
  readonly #exact = new Map<string, T>();
  readonly #patterns: CompiledPattern<T>[] = [];

  /** Adds a number or pattern; a second entry for the same text is refused. */
  add(pattern: string, target: T): void {
    if (!isPattern(pattern)) {
      if (this.#exact.has(pattern)) throw new PatternError(pattern, 'already routed');
      this.#exact.set(pattern, target);
      return;
    }
    if (this.#patterns.some((p) => p.pattern === pattern)) throw new PatternError(pattern, 'already routed');
    const { elements, breadth } = compile(pattern);
    this.#patterns.push({ pattern, elements, breadth, order: this.#patterns.length, target });
  }

  /** The target the dialled string reaches, with the pattern that matched, or undefined. */
  analyse(dialled: string): { pattern: string; target: T } | undefined {
    const exact = this.#exact.get(dialled);
    if (exact !== undefined) return { pattern: dialled, target: exact };
    let best: CompiledPattern<T> | undefined;
    for (const candidate of this.#patterns) {
      if (!matches(candidate.elements, dialled)) continue;
      if (best === undefined || candidate.breadth < best.breadth) best = candidate;
    }
    return best === undefined ? undefined : { pattern: best.pattern, target: best.target };
  }

  get size(): number {
    return this.#exact.size + this.#patterns.length;
  }
}
