/**
 * The highest normalised correlation of a second of `sent` with `recorded` at any lag up to 1 s:
 * near 1 for the same audio (G.711 costs little), near 0 for other audio or silence.
 */
export function bestCorrelation(sent: Int16Array, recorded: Int16Array): number {
  const window = 8000;
  const start = Math.min(2000, Math.max(0, sent.length - window));
  let best = 0;
  for (let lag = -8000; lag <= 8000; lag += 1) {
    let dot = 0;
    let a2 = 0;
    let b2 = 0;
    for (let i = start; i < start + window; i++) {
      const a = sent[i] ?? 0;
      const b = recorded[i + lag] ?? 0;
      dot += a * b;
      a2 += a * a;
      b2 += b * b;
    }
    if (a2 > 0 && b2 > 0) best = Math.max(best, dot / Math.sqrt(a2 * b2));
  }
  return best;
}
