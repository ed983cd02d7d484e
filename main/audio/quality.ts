// The quality report (docs/architecture.md, "Audio and features"), computed in one streaming pass at the file's own rate,
// and its check against a partition's requirements in sentences a contractor understands.
import type { QualityReportView, QualityVerdict } from '../../shared/domain';
import type { AudioRequirements } from '../../shared/partition';
import { createQualityKernel, type QualityKernel } from './quality-kernel';

/** The report's fields are documented where the window sees them too (shared/domain.ts). */
export type QualityReport = QualityReportView;

/** dB values are floored here so that digital silence gives a number rather than −Infinity (JSON-safe). */
export const dbFloor = -120;
const frameSeconds = 0.02;
const clipThreshold = 0.999;
const speechAboveFloorDb = 10;
const silenceBelowDbfs = -60;

function toDb(amplitude: number): number {
  return amplitude > 0 ? Math.max(dbFloor, 20 * Math.log10(amplitude)) : dbFloor;
}

/** Linear-interpolated percentile (numpy's default), `p` in 0–100. Sorts a copy unless `alreadySorted`. */
export function percentile(values: ArrayLike<number>, p: number, alreadySorted = false): number {
  if (values.length === 0) return NaN;
  const sorted = alreadySorted ? values : Float64Array.from(values).sort();
  const position = ((sorted.length - 1) * p) / 100;
  const lower = Math.floor(position);
  const upper = Math.min(sorted.length - 1, lower + 1);
  const weight = position - lower;
  return sorted[lower]! * (1 - weight) + sorted[upper]! * weight;
}

export class QualityAnalyzer {
  private readonly sampleRate: number;
  private readonly frameLength: number;
  private frameSumSquares = 0;
  private frameFill = 0;
  private frameRms: Float64Array = new Float64Array(1024);
  private frameCount = 0;
  private totalSamples = 0;
  private totalSumSquares = 0;
  private peak = 0;
  private clipped = 0;
  /** WebAssembly SIMD for whole frames where available; kernel.samples[0, pending) wait for their frame to fill. */
  private readonly kernel: QualityKernel | undefined;
  private pending = 0;

  constructor(sampleRate: number, options: { scalar?: boolean } = {}) {
    this.sampleRate = sampleRate;
    this.frameLength = Math.max(1, Math.round(sampleRate * frameSeconds));
    this.kernel = options.scalar ? undefined : createQualityKernel(this.frameLength);
  }

  push(samples: ArrayLike<number>): void {
    if (this.kernel) this.pushToKernel(this.kernel, samples);
    else this.pushScalar(samples);
  }

  private pushToKernel(kernel: QualityKernel, samples: ArrayLike<number>): void {
    const { frameLength } = this;
    for (let at = 0; at < samples.length; ) {
      const count = Math.min(samples.length - at, kernel.samples.length - this.pending);
      const part = ArrayBuffer.isView(samples) ? (samples as unknown as Float32Array).subarray(at, at + count) : Array.prototype.slice.call(samples, at, at + count);
      kernel.samples.set(part as ArrayLike<number>, this.pending);
      this.pending += count;
      at += count;
      const whole = Math.floor(this.pending / frameLength);
      if (whole === 0) continue;
      kernel.run(whole);
      for (let f = 0; f < whole; f++) {
        const sum = kernel.sums[f]!;
        this.addFrame(Math.sqrt(sum / frameLength));
        this.totalSumSquares += sum;
      }
      kernel.samples.copyWithin(0, whole * frameLength, this.pending);
      this.pending -= whole * frameLength;
    }
    this.totalSamples += samples.length;
  }

  private pushScalar(samples: ArrayLike<number>): void {
    let frameSumSquares = this.frameSumSquares;
    let frameFill = this.frameFill;
    let peak = this.peak;
    let clipped = this.clipped;
    let totalSumSquares = this.totalSumSquares;
    const frameLength = this.frameLength;
    // One frame (or the rest of the chunk) per pass, so the per-sample loop has no frame bookkeeping.
    for (let i = 0; i < samples.length; ) {
      const end = Math.min(samples.length, i + frameLength - frameFill);
      // Summed in sample order across chunk boundaries, so any chunking gives the same numbers.
      let sum = frameSumSquares;
      for (let j = i; j < end; j++) {
        const x = samples[j]!;
        const magnitude = Math.abs(x);
        if (magnitude > peak) peak = magnitude;
        if (magnitude >= clipThreshold) clipped++;
        sum += x * x;
      }
      frameSumSquares = sum;
      frameFill += end - i;
      i = end;
      if (frameFill === frameLength) {
        this.addFrame(Math.sqrt(frameSumSquares / frameLength));
        totalSumSquares += frameSumSquares;
        frameSumSquares = 0;
        frameFill = 0;
      }
    }
    this.frameSumSquares = frameSumSquares;
    this.frameFill = frameFill;
    this.peak = peak;
    this.clipped = clipped;
    this.totalSumSquares = totalSumSquares;
    this.totalSamples += samples.length;
  }

  finish(): QualityReport {
    if (this.kernel) {
      // The kernel's peak and count, then the samples of the last, partial frame in JavaScript.
      const rest = this.kernel.samples.slice(0, this.pending);
      this.peak = this.kernel.peak();
      this.clipped = this.kernel.clipped();
      this.totalSamples -= rest.length;
      this.pushScalar(rest);
      this.pending = 0;
    }
    // A trailing partial frame counts only when the take is shorter than one frame.
    if (this.frameCount === 0 && this.frameFill > 0) this.addFrame(Math.sqrt(this.frameSumSquares / this.frameFill));
    const frames = this.frameRms.subarray(0, this.frameCount);
    const frameDb = Float64Array.from(frames, toDb);
    const noiseFloorDbfs = frames.length > 0 ? percentile(frameDb, 10) : dbFloor;
    const speechFrames = frameDb.filter((db) => db >= noiseFloorDbfs + speechAboveFloorDb);
    const speechDbfs = speechFrames.length > 0 ? percentile(speechFrames, 90) : noiseFloorDbfs;
    const silentFrames = frameDb.filter((db) => db < silenceBelowDbfs).length;
    const n = this.totalSamples;
    return {
      sampleRate: this.sampleRate,
      durationSeconds: n / this.sampleRate,
      peakDbfs: toDb(this.peak),
      rmsDbfs: n > 0 ? toDb(Math.sqrt((this.totalSumSquares + this.frameSumSquares) / n)) : dbFloor,
      clippedPct: n > 0 ? (100 * this.clipped) / n : 0,
      noiseFloorDbfs,
      speechDbfs,
      snrDb: speechDbfs - noiseFloorDbfs,
      silencePct: frames.length > 0 ? (100 * silentFrames) / frames.length : 100,
      speechRatio: frames.length > 0 ? speechFrames.length / frames.length : 0,
      frameCount: frames.length,
    };
  }

  private addFrame(rms: number): void {
    if (this.frameCount === this.frameRms.length) {
      const grown = new Float64Array(this.frameRms.length * 2);
      grown.set(this.frameRms);
      this.frameRms = grown;
    }
    this.frameRms[this.frameCount++] = rms;
  }
}

export function analyseQuality(samples: ArrayLike<number>, sampleRate: number): QualityReport {
  const analyzer = new QualityAnalyzer(sampleRate);
  analyzer.push(samples);
  return analyzer.finish();
}

export type QualityCheck = QualityVerdict;

const oneDecimal = (value: number): string => (Math.round(value * 10) / 10).toString().replace('-', '−');

/** Checks a report against a partition's requirements. `sourceSampleRate` is the file's own rate. */
export function checkQuality(report: QualityReport, requirements: AudioRequirements, sourceSampleRate = report.sampleRate): QualityCheck {
  const reasons: string[] = [];
  const r = requirements;
  if (sourceSampleRate < r.sampleRate) {
    reasons.push(`sample rate too low: recorded at ${sourceSampleRate} Hz, need at least ${r.sampleRate} Hz`);
  }
  if (report.durationSeconds < r.minSeconds) {
    reasons.push(`too short: ${oneDecimal(report.durationSeconds)} s, need at least ${r.minSeconds} s`);
  }
  if (report.durationSeconds > r.maxSeconds) {
    reasons.push(`too long: ${oneDecimal(report.durationSeconds)} s, at most ${r.maxSeconds} s`);
  }
  if (report.clippedPct > r.maxClippedPct) {
    reasons.push(`clipping: ${oneDecimal(report.clippedPct)}% of samples at full scale, at most ${r.maxClippedPct}% — lower the input gain`);
  }
  if (report.speechDbfs < r.minSpeechDbfs) {
    reasons.push(`too quiet: speech at ${oneDecimal(report.speechDbfs)} dBFS, need ≥ ${oneDecimal(r.minSpeechDbfs)} — speak up or move closer`);
  }
  if (report.snrDb < r.minSnrDb) {
    reasons.push(`too noisy: speech is ${oneDecimal(report.snrDb)} dB above the background, need ≥ ${r.minSnrDb} dB — find a quieter place`);
  }
  if (report.silencePct > r.maxSilencePct) {
    reasons.push(`too much silence: ${oneDecimal(report.silencePct)}% of the take is silent, at most ${r.maxSilencePct}%`);
  }
  return { pass: reasons.length === 0, reasons };
}
