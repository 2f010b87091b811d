/**
 * Reads a V8 CPU profile (`node --cpu-prof`) and finds the longest stretch the event loop spent
 * without a break in one kind of code: consecutive samples whose stacks all hold a frame from it.
 * With a fine sampling interval, that is the longest pause that code alone caused.
 */
import { readFile } from 'node:fs/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface CpuProfile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface Stretches {
  /** The longest uninterrupted stretch, in milliseconds. */
  longestMs: number;
  /** All the time in that code, in milliseconds. */
  totalMs: number;
  /** The whole profile, in milliseconds. */
  profileMs: number;
  /** The functions the longest stretch spent most of its samples in (self time), most first. */
  longestIn: string[];
}

/**
 * Stretches of samples in code whose script URL matches `code`, counting only samples taken within
 * `window` (microseconds of the monotonic clock, `process.hrtime.bigint() / 1000n`: V8 stamps its
 * samples with the same clock), when given.
 */
export async function longestStretch(
  file: string,
  code: RegExp,
  window?: { fromUs: number; toUs: number },
): Promise<Stretches> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const inCode = new Map<number, boolean>();
  const matches = (id: number): boolean => {
    const known = inCode.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    const up = parent.get(id);
    const result = (node !== undefined && code.test(node.callFrame.url)) || (up !== undefined && matches(up));
    inCode.set(id, result);
    return result;
  };
  let longest = 0;
  let total = 0;
  let current = 0;
  let whole = 0;
  let stretch: number[] = [];
  let longestStretchSamples: number[] = [];
  // Each sample's delta is the time since the previous one: the time the previous sample stood for.
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i += 1) {
    at += profile.timeDeltas[i] ?? 0;
    if (window !== undefined && (at < window.fromUs || at > window.toUs)) continue;
    const delta = profile.timeDeltas[i + 1] ?? 0;
    whole += delta;
    const sample = profile.samples[i]!;
    if (matches(sample)) {
      current += delta;
      total += delta;
      stretch.push(sample);
      if (current > longest) {
        longest = current;
        longestStretchSamples = stretch;
      }
    } else {
      current = 0;
      stretch = [];
    }
  }
  const self = new Map<string, number>();
  for (const sample of longestStretchSamples) {
    const frame = byId.get(sample)?.callFrame;
    const name = `${frame?.functionName || '(anonymous)'} ${frame?.url.split('/').slice(-2).join('/') ?? ''}`;
    self.set(name, (self.get(name) ?? 0) + 1);
  }
  const longestIn = [...self].sort((a, b) => b[1] - a[1]).map(([name]) => name);
  return { longestMs: longest / 1000, totalMs: total / 1000, profileMs: whole / 1000, longestIn };
}
