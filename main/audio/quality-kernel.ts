// The per-sample half of the quality report (peak, clipped count, each 20 ms frame's sum of squares) in
// WebAssembly SIMD: at the file's own rate this loop sees every sample of the take, as many as the decoder.
// Frames are always summed whole, from their first sample, in one fixed order, so the numbers do not depend on
// how the samples were chunked. Where SIMD is missing, QualityAnalyzer keeps its plain JavaScript loop.
import { FunctionBody, encodeModule, i32, pageBytes, v128, wasmSimd, type WasmModule } from './wasm-encoder';

const f64 = 0x7c;
const f32 = 0x7d;

class QualityBody extends FunctionBody {
  zero(): this {
    this.simd(0x0c);
    for (let i = 0; i < 16; i++) this.code.push(0);
    return this;
  }
  f32x4Abs(): this {
    return this.simd(0xe0);
  }
  /** pmax(a, b) = a < b ? b : a: a NaN in b leaves a. */
  f32x4Pmax(): this {
    return this.simd(0xeb);
  }
  f32x4Ge(): this {
    return this.simd(0x46);
  }
  f32x4Splat(): this {
    return this.simd(0x13);
  }
  f32x4ExtractLane(index: number): this {
    return this.simd(0x1f).lane(index);
  }
  i32x4Sub(): this {
    return this.simd(0xb1);
  }
  i32x4ExtractLane(index: number): this {
    return this.simd(0x1b).lane(index);
  }
  f64x2PromoteLow(): this {
    return this.simd(0x5f);
  }
  f64x2Add(): this {
    return this.simd(0xf0);
  }
  f64x2Mul(): this {
    return this.simd(0xf2);
  }
  f64x2ExtractLane(index: number): this {
    return this.simd(0x21).lane(index);
  }
  /** The upper two f32 lanes moved down (for promote_low). */
  upperHalf(): this {
    this.simd(0x0d);
    for (let b = 0; b < 16; b++) this.code.push(8 + (b % 8));
    return this;
  }
  f32Const(value: number): this {
    this.op(0x43);
    this.code.push(...new Uint8Array(new Float32Array([value]).buffer));
    return this;
  }
  f32Abs(): this {
    return this.op(0x8b);
  }
  f32Gt(): this {
    return this.op(0x5e);
  }
  f32Ge(): this {
    return this.op(0x60);
  }
  f64PromoteF32(): this {
    return this.op(0xbb);
  }
  f64Add(): this {
    return this.op(0xa0);
  }
  f64Mul(): this {
    return this.op(0xa2);
  }
  f64Store(offset: number): this {
    return this.op(0x39).memarg(3, offset);
  }
  /** select(a, b, condition) → condition ? a : b. */
  select(): this {
    return this.op(0x1b);
  }
}

/** Layout: [peak f32][clipped i32] at 0, frame sums (f64) from 16, samples (f32) after them. */
interface QualityLayout {
  frameLength: number;
  /** Whole frames per call. */
  maxFrames: number;
  sums: number;
  samples: number;
  bytes: number;
}

const clipThreshold = 0.999;

/**
 * frames(count): for `count` whole frames from `samples`, stores each frame's Σx² (float64) at sums[i] and
 * raises the peak |x| and the count of |x| ≥ 0.999 kept at bytes 0 and 4.
 */
function encodeQuality(layout: QualityLayout): Uint8Array {
  const f = new QualityBody(1);
  const count = 0;
  const at = f.local(i32);
  const frameEnd = f.local(i32);
  const vectorEnd = f.local(i32);
  const sumAt = f.local(i32);
  const end = f.local(i32);
  const x = f.local(v128);
  const magnitude = f.local(v128);
  const peak = f.local(v128);
  const clipped = f.local(v128);
  const threshold = f.local(v128);
  const lo = f.local(v128);
  const hi = f.local(v128);
  const pair = f.local(v128);
  const sum = f.local(f64);
  const sample = f.local(f32);
  const peakScalar = f.local(f32);
  const clippedScalar = f.local(i32);
  const { frameLength } = layout;
  const vectorBytes = 16 * Math.floor(frameLength / 4);
  f.zero().set(peak).zero().set(clipped).f32Const(clipThreshold).f32x4Splat().set(threshold);
  f.i32(0).set(clippedScalar);
  f.f32Const(0).set(peakScalar);
  f.i32(layout.samples).set(at);
  f.i32(layout.sums).set(sumAt);
  f.get(count).i32(4 * frameLength).i32Mul().i32(layout.samples).i32Add().set(end);
  f.doWhile(
    () => {
      f.zero().set(lo).zero().set(hi);
      f.get(at).i32(4 * frameLength).i32Add().set(frameEnd);
      if (vectorBytes > 0) {
        f.get(at).i32(vectorBytes).i32Add().set(vectorEnd);
        f.doWhile(
          () => {
            f.get(at).v128Load(0, 2).set(x);
            f.get(x).f32x4Abs().set(magnitude);
            f.get(peak).get(magnitude).f32x4Pmax().set(peak);
            f.get(clipped).get(magnitude).get(threshold).f32x4Ge().i32x4Sub().set(clipped);
            // Σx² in float64: lanes 0 and 1 into lo, lanes 2 and 3 into hi.
            f.get(x).f64x2PromoteLow().set(pair);
            f.get(lo).get(pair).get(pair).f64x2Mul().f64x2Add().set(lo);
            f.get(x).get(x).upperHalf().f64x2PromoteLow().set(pair);
            f.get(hi).get(pair).get(pair).f64x2Mul().f64x2Add().set(hi);
            f.get(at).i32(16).i32Add().set(at);
          },
          () => f.get(at).get(vectorEnd).i32LtU(),
        );
      }
      // Σ in a fixed order: the two f64x2 accumulators, then the samples after the last whole vector.
      f.get(lo).f64x2ExtractLane(0).get(lo).f64x2ExtractLane(1).f64Add().get(hi).f64x2ExtractLane(0).f64Add().get(hi).f64x2ExtractLane(1).f64Add().set(sum);
      if (frameLength % 4 !== 0) {
        f.doWhile(
          () => {
            f.get(at).f32Load(0).set(sample);
            f.get(sum).get(sample).f64PromoteF32().get(sample).f64PromoteF32().f64Mul().f64Add().set(sum);
            f.get(sample).f32Abs().set(sample);
            f.get(sample).get(peakScalar).get(sample).get(peakScalar).f32Gt().select().set(peakScalar);
            f.get(clippedScalar).get(sample).f32Const(clipThreshold).f32Ge().i32Add().set(clippedScalar);
            f.get(at).i32(4).i32Add().set(at);
          },
          () => f.get(at).get(frameEnd).i32LtU(),
        );
      }
      f.get(sumAt).get(sum).f64Store(0);
      f.get(sumAt).i32(8).i32Add().set(sumAt);
    },
    () => f.get(at).get(end).i32LtU(),
  );
  // Fold the lanes into the running peak and count at bytes 0 and 4.
  for (let lane = 0; lane < 4; lane++) {
    f.get(peak).f32x4ExtractLane(lane).set(sample);
    f.get(sample).get(peakScalar).get(sample).get(peakScalar).f32Gt().select().set(peakScalar);
    f.get(clippedScalar).get(clipped).i32x4ExtractLane(lane).i32Add().set(clippedScalar);
  }
  f.i32(0).f32Load(0).set(sample);
  f.i32(0).get(sample).get(peakScalar).get(sample).get(peakScalar).f32Gt().select().f32Store(0);
  f.i32(0).i32(0).i32Load(4).get(clippedScalar).i32Add().i32Store(4);
  return encodeModule('quality', [{ params: [i32], body: f, export: 'frames' }]);
}

export interface QualityKernel {
  /** Room for this many samples at `samples` before calling run. */
  readonly samples: Float32Array;
  readonly sums: Float64Array;
  readonly maxFrames: number;
  /** Analyses the first count·frameLength samples of `samples`; frame sums land in `sums`. */
  run(count: number): void;
  peak(): number;
  clipped(): number;
}

const moduleCache = new Map<number, WasmModule>();

/** A kernel for 20 ms frames of `frameLength` samples, or undefined where WebAssembly SIMD is missing. */
export function createQualityKernel(frameLength: number): QualityKernel | undefined {
  const api = wasmSimd();
  if (!api) return undefined;
  const maxFrames = Math.max(1, Math.floor((1 << 18) / frameLength));
  const sums = 16;
  const samples = sums + 8 * maxFrames;
  const layout: QualityLayout = { frameLength, maxFrames, sums, samples, bytes: samples + 4 * maxFrames * frameLength };
  let module = moduleCache.get(frameLength);
  if (!module) {
    module = new api.Module(encodeQuality(layout));
    moduleCache.set(frameLength, module);
  }
  const memory = new api.Memory({ initial: Math.ceil(layout.bytes / pageBytes) });
  const run = new api.Instance(module, { quality: { memory } }).exports.frames as (count: number) => void;
  const buffer = memory.buffer;
  const stats = new DataView(buffer, 0, 8);
  return {
    samples: new Float32Array(buffer, samples, maxFrames * frameLength),
    sums: new Float64Array(buffer, sums, maxFrames),
    maxFrames,
    run,
    peak: () => stats.getFloat32(0, true),
    clipped: () => stats.getInt32(4, true),
  };
}
