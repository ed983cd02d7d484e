// Where in the reference clip a captured take starts, and how alike the two sound. Chromium's fake
// microphone resamples the clip and loops it from an arbitrary offset, so the take is aligned by
// cross-correlation (coarse at 2 kHz, then exact at 16 kHz) before log-mel frames are compared.
import { resample } from '../main/audio';

/** Index in `reference` (looped) where `take` best lines up, by normalised cross-correlation. */
export function alignToLoopedReference(take: Float32Array, reference: Float32Array, rate: number): { offset: number; correlation: number } {
  const coarseRate = 2000;
  const factor = rate / coarseRate;
  const coarseTake = resample(take, rate, coarseRate);
  const coarseRef = resample(reference, rate, coarseRate);
  const span = Math.min(coarseTake.length, coarseRef.length);
  let best = { lag: 0, score: -Infinity };
  for (let lag = 0; lag < coarseRef.length; lag++) {
    const score = normalisedCorrelation(coarseTake, 0, coarseRef, lag, span);
    if (score > best.score) best = { lag, score };
  }
  // Refine around the coarse answer at the full rate.
  const centre = Math.round(best.lag * factor);
  const window = Math.ceil(factor * 2);
  const fineSpan = Math.min(take.length, reference.length);
  let fine = { offset: centre, correlation: -Infinity };
  for (let offset = centre - window; offset <= centre + window; offset++) {
    const wrapped = ((offset % reference.length) + reference.length) % reference.length;
    const correlation = normalisedCorrelation(take, 0, reference, wrapped, fineSpan);
    if (correlation > fine.correlation) fine = { offset: wrapped, correlation };
  }
  return fine;
}

/** Pearson-style correlation of a[aStart…] with the looped b[bStart…] over `span` samples. */
function normalisedCorrelation(a: Float32Array, aStart: number, b: Float32Array, bStart: number, span: number): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < span; i++) {
    const x = a[aStart + i] ?? 0;
    const y = b[(bStart + i) % b.length] ?? 0;
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}

/** Pearson correlation of two equally long number sequences. */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  let meanA = 0;
  let meanB = 0;
  for (let i = 0; i < n; i++) {
    meanA += a[i]!;
    meanB += b[i]!;
  }
  meanA /= n;
  meanB /= n;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i]! - meanA;
    const y = b[i]! - meanB;
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return ab / Math.sqrt(aa * bb);
}

export function concatenate(chunks: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
