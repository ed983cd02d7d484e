// Slaney-style mel filter bank with Slaney area normalisation, as librosa.filters.mel(htk=False, norm='slaney')
// and torchaudio's melscale_fbanks(mel_scale='slaney', norm='slaney') build it.

const linearHzPerMel = 200 / 3;
const logRegionStartHz = 1000;
const logRegionStartMel = logRegionStartHz / linearHzPerMel; // 15
const logStep = Math.log(6.4) / 27;

export function hzToMel(hz: number): number {
  if (hz < logRegionStartHz) return hz / linearHzPerMel;
  return logRegionStartMel + Math.log(hz / logRegionStartHz) / logStep;
}

export function melToHz(mel: number): number {
  if (mel < logRegionStartMel) return mel * linearHzPerMel;
  return logRegionStartHz * Math.exp(logStep * (mel - logRegionStartMel));
}

/** One band's non-zero weights over FFT bins [firstBin, firstBin + weights.length). */
export interface MelBand {
  firstBin: number;
  weights: Float64Array;
}

export interface MelFilterbankSpec {
  sampleRate: number;
  nFft: number;
  nMels: number;
  fMin: number;
  fMax: number;
}

/** Dense filter bank, [nMels][nFft/2 + 1], in float64. */
export function melFilterbankDense(spec: MelFilterbankSpec): Float64Array[] {
  const { sampleRate, nFft, nMels, fMin, fMax } = spec;
  const nBins = Math.floor(nFft / 2) + 1;
  const fftFreqs = new Float64Array(nBins);
  for (let k = 0; k < nBins; k++) fftFreqs[k] = (k * sampleRate) / nFft;

  const minMel = hzToMel(fMin);
  const maxMel = hzToMel(fMax);
  const melEdgesHz = new Float64Array(nMels + 2);
  for (let i = 0; i < nMels + 2; i++) melEdgesHz[i] = melToHz(minMel + ((maxMel - minMel) * i) / (nMels + 1));

  const bands: Float64Array[] = [];
  for (let m = 0; m < nMels; m++) {
    const lower = melEdgesHz[m]!;
    const centre = melEdgesHz[m + 1]!;
    const upper = melEdgesHz[m + 2]!;
    const areaNorm = 2 / (upper - lower);
    const row = new Float64Array(nBins);
    for (let k = 0; k < nBins; k++) {
      const f = fftFreqs[k]!;
      const rising = (f - lower) / (centre - lower);
      const falling = (upper - f) / (upper - centre);
      row[k] = Math.max(0, Math.min(rising, falling)) * areaNorm;
    }
    bands.push(row);
  }
  return bands;
}

/** The same filter bank, keeping only each band's non-zero span (each bin feeds at most two bands). */
export function melFilterbank(spec: MelFilterbankSpec): MelBand[] {
  return melFilterbankDense(spec).map((row) => {
    let first = row.findIndex((w) => w > 0);
    if (first < 0) first = 0;
    let last = first - 1;
    for (let k = row.length - 1; k >= first; k--) {
      if (row[k]! > 0) {
        last = k;
        break;
      }
    }
    return { firstBin: first, weights: row.slice(first, last + 1) };
  });
}
