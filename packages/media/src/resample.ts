/**
 * Band-limited resampling of mono 16-bit audio (windowed-sinc interpolation). Telephony runs at
 * 8 kHz, so a prompt recorded at 16, 44.1 or 48 kHz is low-pass filtered below the new Nyquist
 * frequency as it is resampled: without that, its treble would fold back into the band as noise.
 */

/** Zero crossings of the sinc kept on each side of a sample, at full bandwidth. */
const zeroCrossings = 8;
/** The pass band ends a little below Nyquist, leaving room for the filter's transition. */
const passBand = 0.92;

function sinc(x: number): number {
  if (x === 0) return 1;
  const px = Math.PI * x;
  return Math.sin(px) / px;
}

/** Blackman window over [-1, 1]. */
function blackman(x: number): number {
  return 0.42 + 0.5 * Math.cos(Math.PI * x) + 0.08 * Math.cos(2 * Math.PI * x);
}

/** Kernel samples per unit of distance: fine enough that linear interpolation between them is exact to 16 bits. */
const tableResolution = 512;

/** The windowed-sinc kernel over [0, half] (it is symmetric), tabulated once per resampling. */
function kernelTable(cutoff: number, half: number): Float64Array {
  const table = new Float64Array(half * tableResolution + 2);
  for (let i = 0; i < table.length; i++) {
    const distance = i / tableResolution;
    table[i] = distance >= half ? 0 : cutoff * sinc(cutoff * distance) * blackman(distance / half);
  }
  return table;
}

export function resample(samples: ArrayLike<number>, fromRate: number, toRate: number): Int16Array {
  if (fromRate === toRate) return Int16Array.from(samples);
  if (!(fromRate > 0 && toRate > 0)) throw new RangeError(`cannot resample from ${fromRate} Hz to ${toRate} Hz`);
  const step = fromRate / toRate;
  // The cut-off as a fraction of the input's Nyquist frequency: the lower of the two rates wins.
  const cutoff = Math.min(1, toRate / fromRate) * passBand;
  const half = Math.ceil(zeroCrossings / cutoff);
  const table = kernelTable(cutoff, half);
  const out = new Int16Array(Math.floor((samples.length * toRate) / fromRate));
  for (let i = 0; i < out.length; i++) {
    const t = i * step;
    const centre = Math.floor(t);
    let sum = 0;
    let weights = 0;
    for (let k = Math.max(0, centre - half + 1); k <= centre + half && k < samples.length; k++) {
      const position = Math.abs(t - k) * tableResolution;
      const index = Math.floor(position);
      const fraction = position - index;
      const weight = table[index]! + (table[index + 1]! - table[index]!) * fraction;
      sum += (samples[k] ?? 0) * weight;
      weights += weight;
    }
    // Normalising by the weights keeps unity gain at DC, edges of the audio included.
    const value = weights === 0 ? 0 : Math.round(sum / weights);
    out[i] = value > 32767 ? 32767 : value < -32768 ? -32768 : value;
  }
  return out;
}
