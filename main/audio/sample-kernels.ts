// Two per-sample loops that run over every input sample of a long file, in WebAssembly SIMD: 16-bit PCM to
// mono float32 (the WAV decoder) and taking every M-th sample (the FFT resampler's polyphase streams). Each
// user gets its own memory; the compiled module is shared. Where SIMD is missing, callers keep their
// plain JavaScript loops.
import { FunctionBody, encodeModule, i32, pageBytes, v128, wasmSimd, type WasmModule } from './wasm-encoder';

class SampleBody extends FunctionBody {
  i32x4ExtendLowI16x8(): this {
    return this.simd(0xa7);
  }
  i32x4ExtendHighI16x8(): this {
    return this.simd(0xa8);
  }
  /** Adjacent int16 pairs summed into int32 lanes: (L + R) per stereo frame. */
  i32x4ExtaddPairwiseI16x8(): this {
    return this.simd(0x7e);
  }
  f32x4ConvertI32x4(): this {
    return this.simd(0xfa);
  }
  f32x4Mul(): this {
    return this.simd(0xe6);
  }
  f32x4Splat(): this {
    return this.simd(0x13);
  }
  f32Const(value: number): this {
    this.op(0x43);
    this.code.push(...new Uint8Array(new Float32Array([value]).buffer));
    return this;
  }
}

/**
 * mono16(src, dst, end): int16 at src … end → float32 x / 32768 at dst (8 samples per step).
 * stereo16(src, dst, end): interleaved int16 pairs → (L + R) / 65536, i.e. the mean of L / 32768 and R / 32768
 * (exact in float32: every such value has at most 17 significant bits).
 * gather(src, dst, count, strideBytes): dst[u] = src[u · stride] for u < count (float32).
 */
function encodeSampleKernels(): Uint8Array {
  const mono = new SampleBody(3);
  {
    const [src, dst, end] = [0, 1, 2];
    const words = mono.local(v128);
    const scale = mono.local(v128);
    mono.f32Const(1 / 32768).f32x4Splat().set(scale);
    mono.doWhile(
      () => {
        mono.get(src).v128Load(0, 1).set(words);
        mono.get(dst).get(words).i32x4ExtendLowI16x8().f32x4ConvertI32x4().get(scale).f32x4Mul().v128Store(0);
        mono.get(dst).get(words).i32x4ExtendHighI16x8().f32x4ConvertI32x4().get(scale).f32x4Mul().v128Store(16);
        mono.get(src).i32(16).i32Add().set(src);
        mono.get(dst).i32(32).i32Add().set(dst);
      },
      () => mono.get(src).get(end).i32LtU(),
    );
  }
  const stereo = new SampleBody(3);
  {
    const [src, dst, end] = [0, 1, 2];
    const scale = stereo.local(v128);
    stereo.f32Const(1 / 65536).f32x4Splat().set(scale);
    stereo.doWhile(
      () => {
        stereo.get(dst).get(src).v128Load(0, 1).i32x4ExtaddPairwiseI16x8().f32x4ConvertI32x4().get(scale).f32x4Mul().v128Store(0);
        stereo.get(src).i32(16).i32Add().set(src);
        stereo.get(dst).i32(16).i32Add().set(dst);
      },
      () => stereo.get(src).get(end).i32LtU(),
    );
  }
  const gather = new SampleBody(4);
  {
    const [src, dst, count, stride] = [0, 1, 2, 3];
    const end = gather.local(i32);
    gather.get(count).i32(4).i32Mul().get(dst).i32Add().set(end);
    gather.doWhile(
      () => {
        gather.get(dst).get(src).f32Load(0).f32Store(0);
        gather.get(src).get(stride).i32Add().set(src);
        gather.get(dst).i32(4).i32Add().set(dst);
      },
      () => gather.get(dst).get(end).i32LtU(),
    );
  }
  return encodeModule('samples', [
    { params: [i32, i32, i32], body: mono, export: 'mono16' },
    { params: [i32, i32, i32], body: stereo, export: 'stereo16' },
    { params: [i32, i32, i32, i32], body: gather, export: 'gather' },
  ]);
}

let compiled: WasmModule | undefined;

export interface SampleKernels {
  /** The instance's memory, `bytes` long (views must be taken again never: it does not grow). */
  readonly buffer: ArrayBuffer;
  /** int16 samples at byte `src` (count a multiple of 8; the tail may be padding) → float32 at byte `dst`. */
  mono16(src: number, dst: number, samples: number): void;
  /** Interleaved stereo int16 frames at `src` (count a multiple of 4) → mono float32 at `dst`. */
  stereo16(src: number, dst: number, frames: number): void;
  /** count float32 from byte src, every stride-th, to byte dst. */
  gather(src: number, dst: number, count: number, stride: number): void;
}

/** An instance with `bytes` of memory, or undefined where WebAssembly SIMD is missing. */
export function createSampleKernels(bytes: number): SampleKernels | undefined {
  const api = wasmSimd();
  if (!api) return undefined;
  compiled ??= new api.Module(encodeSampleKernels());
  const memory = new api.Memory({ initial: Math.max(1, Math.ceil(bytes / pageBytes)) });
  const exports = new api.Instance(compiled, { samples: { memory } }).exports as Record<string, (...args: number[]) => void>;
  return {
    buffer: memory.buffer,
    mono16: (src, dst, samples) => exports.mono16!(src, dst, src + 2 * samples),
    stereo16: (src, dst, frames) => exports.stereo16!(src, dst, src + 4 * frames),
    gather: (src, dst, count, stride) => exports.gather!(src, dst, count, 4 * stride),
  };
}
