// The per-frame hot path of the mel spectrogram (window → real FFT → power → mel bands), for two frames at
// once: frame A in lane 0 and frame B in lane 1 of 128-bit SIMD registers (f64x2), so each lane performs
// exactly the float64 operations, in the same order, of the scalar code in real-fft.ts / complex-fft.ts and
// the mel sum of mel-spectrogram.ts. Results are therefore bit-identical to the scalar path (WebAssembly
// has no fused multiply-add in plain SIMD, and IEEE add/mul/sub are deterministic), just about twice as many
// per instruction. The module is generated here, as bytes, for one FFT size and filter bank; there is no
// binary blob and no build step. Where WebAssembly SIMD is missing, a scalar kernel with the same layout runs.
// The decibels, 10·log10(max(S, amin)), use a vectorised natural log that follows, operation for operation,
// the fdlibm algorithm V8's Math.log is built on, so they too equal the scalar path's (tested on ~10⁵ values).
import type { MelBand } from './mel-filterbank';
import { FunctionBody, i32, name, pageBytes, section, v128, vector, wasmSimd, type WasmApi, type WasmMemory, type WasmModule } from '../audio/wasm-encoder';
import { RealPowerSpectrum } from './real-fft';

/**
 * Two frames in, their power spectra, mel band sums and decibels out, lane-interleaved: power[2k + lane],
 * mel[2m + lane], db[2m + lane]. `samples` is the pending-sample buffer the frames are read from.
 */
export interface MelKernel {
  readonly simd: boolean;
  /** Valid until `reserveSamples` grows it (then re-read). */
  samples: Float64Array;
  power: Float64Array;
  mel: Float64Array;
  /** (10 / ln 10)·ln(mel) where mel > amin, else (10 / ln 10)·ln(amin). */
  db: Float64Array;
  /** Makes `samples` at least `length` long, keeping its content. */
  reserveSamples(length: number): void;
  /** Frame A starts at samples[a], frame B at samples[b] (b may equal a). */
  run(a: number, b: number): void;
  /** Recomputes `db` from the current `mel` (run does this itself; exposed for tests). */
  decibels(): void;
  /**
   * out[t·nOut + k] = Σ_m dct[k·nMels + m] · logMel[t·nMels + m] (summed in m order, from zero) for the
   * frames in `logMel`.
   */
  dct(logMel: Float32Array, out: Float32Array): void;
}

export interface MelKernelSpec {
  nFft: number;
  /** n_fft long (zero-padded) analysis window. */
  window: Float64Array;
  bands: readonly MelBand[];
  /** Row-major [nOut][nMels] DCT matrix for the MFCCs. */
  dct: Float64Array;
  nOut: number;
  /** Power floor of the decibels. */
  amin: number;
}

/** Frames per wasm DCT call. */
const dctBlock = 256;


/** Byte offsets of the kernel's regions in its memory; `samples` is last so that it can grow. */
interface Layout {
  re: number;
  im: number;
  power: number;
  mel: number;
  db: number;
  window: number;
  bitReversed: number;
  /** One table per radix-2² pass: [w1r, w1i, w2r, w2i] per j, each duplicated into both lanes. */
  twiddles: number[];
  /** [cos k, sin k] per k = 0 … N/4, duplicated into both lanes. */
  split: number;
  weights: number;
  /** DCT matrix, transposed: [m][k] with k padded to an even count (dctPairs pairs). */
  dctMatrix: number;
  dctPairs: number;
  /** DCT input, dctBlock × nMels f64, and output, dctBlock × 2·dctPairs f64. */
  dctIn: number;
  dctOut: number;
  samples: number;
}

function layoutFor(spec: MelKernelSpec, fft: RealPowerSpectrum): Layout {
  const half = spec.nFft / 2;
  let at = 0;
  const take = (bytes: number): number => {
    const start = at;
    at += Math.ceil(bytes / 16) * 16;
    return start;
  };
  const re = take(16 * half);
  const im = take(16 * half);
  const power = take(16 * (half + 1));
  const mel = take(16 * spec.bands.length);
  const db = take(16 * spec.bands.length);
  const window = take(8 * spec.nFft);
  const bitReversed = take(4 * half);
  const twiddles = fft.fft.halves.map((h) => take(64 * h));
  const split = take(32 * (Math.floor(half / 2) + 1));
  const weights = take(8 * spec.bands.reduce((n, b) => n + b.weights.length, 0));
  const nMels = spec.bands.length;
  const dctPairs = Math.ceil(spec.nOut / 2);
  const dctMatrix = take(16 * dctPairs * nMels);
  const dctIn = take(8 * dctBlock * nMels);
  const dctOut = take(16 * dctBlock * dctPairs);
  const samples = take(0);
  return { re, im, power, mel, db, window, bitReversed, twiddles, split, weights, dctMatrix, dctPairs, dctIn, dctOut, samples };
}

// ---- The f64x2 instructions of the kernel, on the shared encoder. ----

class F64x2Body extends FunctionBody {
  /** i8x16.shuffle picking f64 lanes: 0, 1 from the first operand, 2, 3 from the second. */
  shuffle64(lane0: number, lane1: number): this {
    this.simd(0x0d);
    for (const lane of [lane0, lane1]) for (let b = 0; b < 8; b++) this.code.push(8 * lane + b);
    return this;
  }
  /** Loads one f64 into both lanes. */
  loadSplat(offset: number): this {
    return this.simd(0x0a).memarg(3, offset);
  }
  splat(): this {
    return this.simd(0x14);
  }
  replaceLane1(): this {
    return this.simd(0x22).lane(1);
  }
  add(): this {
    return this.simd(0xf0);
  }
  sub(): this {
    return this.simd(0xf1);
  }
  mul(): this {
    return this.simd(0xf2);
  }
  neg(): this {
    return this.simd(0xed);
  }
  div(): this {
    return this.simd(0xf3);
  }
  gt(): this {
    return this.simd(0x4a);
  }
  eq(): this {
    return this.simd(0x47);
  }
  and(): this {
    return this.simd(0x4e);
  }
  or(): this {
    return this.simd(0x50);
  }
  xor(): this {
    return this.simd(0x51);
  }
  /** (a & mask) | (b & ~mask) for a, b, mask on the stack. */
  bitselect(): this {
    return this.simd(0x52);
  }
  /** Both i64 lanes = the i64 on the stack. */
  i64Splat(): this {
    return this.simd(0x12);
  }
  i64Const(value: bigint): this {
    this.op(0x42);
    let v = value;
    for (;;) {
      const byte = Number(v & 0x7fn);
      v >>= 7n;
      if ((v === 0n && (byte & 0x40) === 0) || (v === -1n && (byte & 0x40) !== 0)) {
        this.code.push(byte);
        return this;
      }
      this.code.push(byte | 0x80);
    }
  }
  i64x2Shl(bits: number): this {
    return this.i32(bits).simd(0xcb);
  }
  i64x2ShrU(bits: number): this {
    return this.i32(bits).simd(0xcd);
  }
  i64x2Add(): this {
    return this.simd(0xce);
  }
  i64x2Sub(): this {
    return this.simd(0xd1);
  }
  i64x2LtS(): this {
    return this.simd(0xd8);
  }
  i64x2GtS(): this {
    return this.simd(0xd9);
  }
}

type Expr = number | { op: 'add' | 'sub' | 'mul'; a: Expr; b: Expr } | { op: 'neg'; a: Expr };
const add = (a: Expr, b: Expr): Expr => ({ op: 'add', a, b });
const sub = (a: Expr, b: Expr): Expr => ({ op: 'sub', a, b });
const mul = (a: Expr, b: Expr): Expr => ({ op: 'mul', a, b });
const neg = (a: Expr): Expr => ({ op: 'neg', a });

function emit(f: F64x2Body, e: Expr): void {
  if (typeof e === 'number') {
    f.get(e);
    return;
  }
  emit(f, e.a);
  if (e.op === 'neg') {
    f.neg();
    return;
  }
  emit(f, e.b);
  f[e.op]();
}

/** The module: memory (exported as "memory") and run(aByteOffset, bByteOffset) (exported as "run"). */
function encodeModule(spec: MelKernelSpec, fft: RealPowerSpectrum, L: Layout): Uint8Array {
  const half = spec.nFft / 2;
  const f = new F64x2Body(2);
  const [pa, pb] = [0, 1];
  const o = f.local(i32);
  const q = f.local(i32);
  const to = f.local(i32);
  const base = f.local(i32);
  const named = new Map<string, number>();
  /** A v128 local per name (reused across passes). */
  const V = (label: string): number => {
    let index = named.get(label);
    if (index === undefined) {
      index = f.local(v128);
      named.set(label, index);
    }
    return index;
  };
  const assign = (local: number, e: Expr): void => {
    emit(f, e);
    f.set(local);
  };
  /** memory[address + offset] = e (address an i32 local). */
  const store = (address: number, offset: number, e: Expr): void => {
    f.get(address);
    emit(f, e);
    f.v128Store(offset);
  };
  const load = (local: number, address: number, offset: number): number => {
    f.get(address).v128Load(offset).set(local);
    return local;
  };

  /**
   * One radix-2² butterfly on the four points at byte offsets to, to + span, to + 2·span, to + 3·span, twiddles
   * at table + q. With `trivial` (all twiddles exactly 1 − 0i, as for h = 1) the products are skipped: x·1 and
   * x·(−0) terms leave every non-zero value unchanged, so the outputs are those of the full butterfly.
   */
  const inputs = ['ar', 'ai', 'xbr', 'xbi', 'cr', 'ci', 'xdr', 'xdi'] as const;
  const butterfly = (span: number, table: number, trivial: boolean, loaded = false): void => {
    const [ar, ai, xbr, xbi, cr, ci, xdr, xdi] = inputs.map(V) as [number, number, number, number, number, number, number, number];
    if (!loaded) {
      for (let i = 0; i < 8; i++) load(V(inputs[i]!), to, (i % 2 === 0 ? L.re : L.im) + (i >> 1) * span);
    }
    let [tbr, tbi, tdr, tdi] = [xbr, xbi, xdr, xdi];
    const [w1r, w1i, w2r, w2i] = ['w1r', 'w1i', 'w2r', 'w2i'].map(V) as [number, number, number, number];
    if (!trivial) {
      load(w1r, q, table);
      load(w1i, q, table + 16);
      load(w2r, q, table + 32);
      load(w2i, q, table + 48);
      [tbr, tbi, tdr, tdi] = ['tbr', 'tbi', 'tdr', 'tdi'].map(V) as [number, number, number, number];
      assign(tbr, sub(mul(xbr, w1r), mul(xbi, w1i)));
      assign(tbi, add(mul(xbr, w1i), mul(xbi, w1r)));
      assign(tdr, sub(mul(xdr, w1r), mul(xdi, w1i)));
      assign(tdi, add(mul(xdr, w1i), mul(xdi, w1r)));
    }
    const [a1r, a1i, b1r, b1i, c1r, c1i, d1r, d1i] = ['a1r', 'a1i', 'b1r', 'b1i', 'c1r', 'c1i', 'd1r', 'd1i'].map(V) as [
      number, number, number, number, number, number, number, number,
    ];
    assign(a1r, add(ar, tbr));
    assign(a1i, add(ai, tbi));
    assign(b1r, sub(ar, tbr));
    assign(b1i, sub(ai, tbi));
    assign(c1r, add(cr, tdr));
    assign(c1i, add(ci, tdi));
    assign(d1r, sub(cr, tdr));
    assign(d1i, sub(ci, tdi));
    let [ucr, uci, vdr, vdi] = [c1r, c1i, d1r, d1i];
    if (!trivial) {
      [ucr, uci, vdr, vdi] = ['ucr', 'uci', 'vdr', 'vdi'].map(V) as [number, number, number, number];
      assign(ucr, sub(mul(c1r, w2r), mul(c1i, w2i)));
      assign(uci, add(mul(c1r, w2i), mul(c1i, w2r)));
      assign(vdr, sub(mul(d1r, w2r), mul(d1i, w2i)));
      assign(vdi, add(mul(d1r, w2i), mul(d1i, w2r)));
    }
    store(to, L.re, add(a1r, ucr));
    store(to, L.im, add(a1i, uci));
    store(to, L.re + 2 * span, sub(a1r, ucr));
    store(to, L.im + 2 * span, sub(a1i, uci));
    store(to, L.re + span, add(b1r, vdi));
    store(to, L.im + span, sub(b1i, vdr));
    store(to, L.re + 3 * span, sub(b1r, vdi));
    store(to, L.im + 3 * span, add(b1i, vdr));
  };
  // 1. Window and pack, z[n] = x[2n]·w[2n] + i·x[2n+1]·w[2n+1]: each frame's (x[2n], x[2n+1]) is loaded and
  // windowed as one vector, and the two frames' vectors are interleaved into (re_A, re_B) and (im_A, im_B).
  // Without an odd stage, the first radix-2² pass (h = 1, no twiddles) is done on the way: output points
  // p … p + 3 come from z at bit-reversed positions r, r + M/2, r + M/4, r + 3M/4 (M = N/2), and are stored
  // in order; otherwise z[n] is stored at its bit-reversed place for the radix-2 pass.
  const ra = f.local(i32);
  const rb = f.local(i32);
  const packed = (local: number, offset: number, window: number): void => {
    f.get(o).v128Load(L.window + offset).set(window);
    f.get(ra).v128Load(offset, 3).get(window).mul();
    f.get(rb).v128Load(offset, 3).get(window).mul();
    f.set(window).set(local);
    f.get(local).get(window).shuffle64(1, 3).set(V('packIm'));
    f.get(local).get(window).shuffle64(0, 2).set(local);
  };
  const mergedFirstPass = !fft.fft.oddStage && fft.fft.halves[0] === 1;
  f.i32(0).set(base).i32(0).set(q);
  f.doWhile(
    () => {
      f.get(q).i32Load(L.bitReversed).set(o);
      f.get(pa).get(o).i32Add().set(ra);
      f.get(pb).get(o).i32Add().set(rb);
      if (mergedFirstPass) {
        [0, half / 2, half / 4, (3 * half) / 4].forEach((offset, i) => {
          packed(V(inputs[2 * i]!), 16 * offset, V('packW'));
          f.get(V('packIm')).set(V(inputs[2 * i + 1]!));
        });
        f.get(base).set(to);
        butterfly(16, L.twiddles[0]!, true, true);
      } else {
        packed(V('ar'), 0, V('packW'));
        // Bit reversal is its own inverse: z[rev(p)] belongs at p.
        f.get(base).get(V('ar')).v128Store(L.re);
        f.get(base).get(V('packIm')).v128Store(L.im);
      }
      f.get(base).i32(mergedFirstPass ? 64 : 16).i32Add().set(base);
      f.get(q).i32(mergedFirstPass ? 16 : 4).i32Add().set(q);
    },
    () => f.get(base).i32(16 * half).i32LtU(),
  );

  // 2. The complex FFT of size N/2, as ComplexFft.transform.
  if (fft.fft.oddStage) {
    f.i32(0).set(o);
    f.doWhile(
      () => {
        for (const plane of [L.re, L.im]) {
          const a = load(V('a'), o, plane);
          const b = load(V('b'), o, plane + 16);
          store(o, plane + 16, sub(a, b));
          store(o, plane, add(a, b));
        }
        f.get(o).i32(32).i32Add().set(o);
      },
      () => f.get(o).i32(16 * half).i32LtU(),
    );
  }
  fft.fft.halves.forEach((h, s) => {
    const table = L.twiddles[s]!;
    const span = 16 * h;
    if (h === 1 && mergedFirstPass) return;
    f.i32(0).set(base);
    f.doWhile(
      () => {
        f.i32(0).set(o).i32(0).set(q);
        f.doWhile(
          () => {
            f.get(base).get(o).i32Add().set(to);
            butterfly(span, table, false);
            f.get(o).i32(16).i32Add().set(o);
            f.get(q).i32(64).i32Add().set(q);
          },
          () => f.get(o).i32(span).i32LtU(),
        );
        f.get(base).i32(4 * span).i32Add().set(base);
      },
      () => f.get(base).i32(16 * half).i32LtU(),
    );
  });

  // 3. Split into the N/2 + 1 bins of the real signal and square, as RealPowerSpectrum.compute.
  {
    const zr = V('ar');
    const zi = V('ai');
    const t = V('tbr');
    f.i32(0).set(o);
    load(zr, o, L.re);
    load(zi, o, L.im);
    assign(t, add(zr, zi));
    store(o, L.power, mul(t, t));
    assign(t, sub(zr, zi));
    store(o, L.power + 16 * half, mul(t, t));
  }
  if (half >= 2) {
    const halfConst = V('half');
    f.f64Const(0.5).splat().set(halfConst);
    f.i32(16).set(o);
    f.i32(16 * (half - 1)).set(q);
    f.i32(32).set(to); // split-table offset of k = 1
    f.doWhile(
      () => {
        const ar = load(V('ar'), o, L.re);
        const ai = load(V('ai'), o, L.im);
        const br = load(V('xbr'), q, L.re);
        const bi = load(V('xbi'), q, L.im);
        const [er, ei, or, oi] = ['er', 'ei', 'or', 'oi'].map(V) as [number, number, number, number];
        assign(er, mul(add(ar, br), halfConst));
        assign(ei, mul(sub(ai, bi), halfConst));
        assign(or, mul(add(ai, bi), halfConst));
        assign(oi, mul(sub(br, ar), halfConst));
        const c = load(V('w1r'), to, L.split);
        const sn = load(V('w1i'), to, L.split + 16);
        const [xr, xi] = [V('tbr'), V('tbi')];
        assign(xr, add(add(er, mul(c, or)), mul(sn, oi)));
        assign(xi, sub(add(ei, mul(c, oi)), mul(sn, or)));
        store(o, L.power, add(mul(xr, xr), mul(xi, xi)));
        assign(xr, sub(sub(er, mul(c, or)), mul(sn, oi)));
        assign(xi, sub(add(neg(ei), mul(c, oi)), mul(sn, or)));
        store(q, L.power, add(mul(xr, xr), mul(xi, xi)));
        f.get(o).i32(16).i32Add().set(o);
        f.get(q).i32(16).i32Sub().set(q);
        f.get(to).i32(32).i32Add().set(to);
      },
      () => f.get(o).get(q).i32LeU(),
    );
  }

  // 4. Mel bands: each a short dot product over its own bins, summed from zero in bin order.
  {
    const sum = V('sum');
    const zero = V('zero');
    f.f64Const(0).splat().set(zero);
    let weightAt = L.weights;
    spec.bands.forEach((band, m) => {
      f.i32(0).set(base);
      f.get(zero).set(sum);
      if (band.weights.length > 0) {
        f.i32(16 * band.firstBin).set(o);
        f.i32(weightAt).set(q);
        f.doWhile(
          () => {
            f.get(sum);
            f.get(q).loadSplat(0).get(o).v128Load(L.power).mul().add().set(sum);
            f.get(o).i32(16).i32Add().set(o);
            f.get(q).i32(8).i32Add().set(q);
          },
          () => f.get(o).i32(16 * (band.firstBin + band.weights.length)).i32LtU(),
        );
      }
      store(base, L.mel + 16 * m, sum);
      weightAt += 8 * band.weights.length;
    });
  }

  // 5. The decibels (function 2).
  f.call(2);

  const d = encodeDct(spec, L);
  const g = encodeDecibels(spec, L);
  const typeSection = section(1, vector([[0x60, 2, i32, i32, 0], [0x60, 1, i32, 0], [0x60, 0, 0]]));
  const functionSection = section(3, vector([[0], [1], [2]]));
  // Memory is imported ("kernel" "memory", at least one page), sized by the caller.
  const importSection = section(2, vector([[...name('kernel'), ...name('memory'), 0x02, 0x00, 0x01]]));
  const exportSection = section(7, vector([[...name('run'), 0x00, 0], [...name('dct'), 0x00, 1], [...name('decibels'), 0x00, 2]]));
  const codeSection = section(10, vector([f.encode(), d.encode(), g.encode()]));
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...typeSection, ...importSection, ...functionSection, ...exportSection, ...codeSection]);
}

/**
 * dct(inEnd): for each frame of DCT input below byte inEnd (relative to dctIn), the DCT output row, two
 * coefficients per register; each coefficient is summed from zero in mel order, as the scalar code does.
 */
function encodeDct(spec: MelKernelSpec, L: Layout): F64x2Body {
  const f = new F64x2Body(1);
  const inEnd = 0;
  const x = f.local(i32);
  const y = f.local(i32);
  const d = f.local(i32);
  const value = f.local(v128);
  const zero = f.local(v128);
  const sums = Array.from({ length: L.dctPairs }, () => f.local(v128));
  const rowBytes = 16 * L.dctPairs;
  f.f64Const(0).splat().set(zero);
  f.i32(0).set(x).i32(0).set(y);
  f.doWhile(
    () => {
      for (const sum of sums) f.get(zero).set(sum);
      f.i32(0).set(d);
      f.doWhile(
        () => {
          f.get(x).loadSplat(L.dctIn).set(value);
          sums.forEach((sum, j) => {
            f.get(sum).get(d).v128Load(L.dctMatrix + 16 * j).get(value).mul().add().set(sum);
          });
          f.get(x).i32(8).i32Add().set(x);
          f.get(d).i32(rowBytes).i32Add().set(d);
        },
        () => f.get(d).i32(rowBytes * spec.bands.length).i32LtU(),
      );
      sums.forEach((sum, j) => {
        f.get(y).get(sum).v128Store(L.dctOut + 16 * j);
      });
      f.get(y).i32(rowBytes).i32Add().set(y);
    },
    () => f.get(x).get(inEnd).i32LtU(),
  );
  return f;
}

/** The double with IEEE 754 bits hi:lo (as fdlibm lists its constants). */
function fromBits(hi: number, lo: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setUint32(0, hi);
  view.setUint32(4, lo);
  return view.getFloat64(0);
}

/** dB units per natural-log unit, and the floor: the same expressions as the scalar code. */
export function decibelConstants(amin: number): { dbPerLn: number; dbFloor: number } {
  const dbPerLn = 10 / Math.LN10;
  return { dbPerLn, dbFloor: dbPerLn * Math.log(amin) };
}

/**
 * decibels(): db[m] = x > amin ? dbPerLn·ln(x) : dbFloor for each mel pair x = mel[m], +∞ kept as +∞.
 * ln(x) follows fdlibm's __ieee754_log for positive normal x (all x > amin ≥ 2^-1022 are): x = 2^k·(1 + f)
 * with √2/2 < 1 + f < √2, then one of its three formulas, chosen per lane by a mask instead of a branch. The
 * k = 0 special cases of fdlibm are the general formulas with k = 0 (0·ln2 terms add exact zeros).
 */
function encodeDecibels(spec: MelKernelSpec, L: Layout): F64x2Body {
  const f = new F64x2Body(0);
  const { dbPerLn, dbFloor } = decibelConstants(spec.amin);
  const m = f.local(i32);
  const locals = new Map<string, number>();
  const V = (label: string): number => {
    let index = locals.get(label);
    if (index === undefined) {
      index = f.local(v128);
      locals.set(label, index);
    }
    return index;
  };
  const constants: Record<string, number> = {
    one: 1,
    two: 2,
    half: 0.5,
    third: fromBits(0x3fd55555, 0x55555555), // fdlibm writes 0.33333333333333333: the double nearest 1/3
    ln2Hi: fromBits(0x3fe62e42, 0xfee00000),
    ln2Lo: fromBits(0x3dea39ef, 0x35793c76),
    lg1: fromBits(0x3fe55555, 0x55555593),
    lg2: fromBits(0x3fd99999, 0x9997fa04),
    lg3: fromBits(0x3fd24924, 0x94229359),
    lg4: fromBits(0x3fcc71c5, 0x1d8e78af),
    lg5: fromBits(0x3fc74664, 0x96cb03de),
    lg6: fromBits(0x3fc39a09, 0xd078c69f),
    lg7: fromBits(0x3fc2f112, 0xdf3e5244),
    // k + 1024 in the low mantissa bits of 2^52, minus (2^52 + 1024), is k exactly.
    magic: 4503599627370496 + 1024,
    dbPerLn,
    dbFloor,
    amin: spec.amin,
    infinity: Infinity,
  };
  const c: Record<string, number> = {};
  for (const [label, value] of Object.entries(constants)) {
    c[label] = V(label);
    f.f64Const(value).splat().set(c[label]!);
  }
  const int = (label: string, value: bigint): number => {
    const local = V(label);
    f.i64Const(value).i64Splat().set(local);
    return local;
  };
  const lowMask = int('lowMask', 0xffffffffn);
  const mantissaMask = int('mantissaMask', 0xfffffn);
  const bias = int('bias', 1023n);
  const rounding = int('rounding', 0x95f64n);
  const bit20 = int('bit20', 0x100000n);
  const oneHigh = int('oneHigh', 0x3ff00000n);
  const two = int('twoInt', 2n);
  const three = int('three', 3n);
  const offset = int('offset', 1024n);
  const magicBits = int('magicBits', 0x4330000000000000n);
  const lowCut = int('lowCut', 0x6147an);
  const highCut = int('highCut', 0x6b851n);
  const zero = int('zeroInt', 0n);

  const [x, hx, k, i, xn, fv, dk, s, z, w, r, t, hfsq, a, b] = ['x', 'hx', 'k', 'i', 'xn', 'f', 'dk', 's', 'z', 'w', 'r', 't', 'hfsq', 'a', 'b'].map(V) as number[] as [
    number, number, number, number, number, number, number, number, number, number, number, number, number, number, number,
  ];
  f.i32(0).set(m);
  f.doWhile(
    () => {
      f.get(m).v128Load(L.mel).set(x);
      // hx = high word; k = exponent − 1023; hx = its mantissa bits.
      f.get(x).i64x2ShrU(32).set(hx);
      f.get(hx).i64x2ShrU(20).get(bias).i64x2Sub().set(k);
      f.get(hx).get(mantissaMask).and().set(hx);
      // i = (hx + 0x95f64) & 0x100000: whether the mantissa is past √2, then x normalised to [√2/2, √2).
      f.get(hx).get(rounding).i64x2Add().get(bit20).and().set(i);
      f.get(hx).get(i).get(oneHigh).xor().or().i64x2Shl(32).get(x).get(lowMask).and().or().set(xn);
      f.get(k).get(i).i64x2ShrU(20).i64x2Add().set(k);
      f.get(xn).get(c.one!).sub().set(fv);
      f.get(k).get(offset).i64x2Add().get(magicBits).or().get(c.magic!).sub().set(dk);
      // |f| < 2^-20: R = f·f·(0.5 − f/3); dk·ln2_hi − ((R − dk·ln2_lo) − f).
      emit(f, mul(mul(fv, fv), sub(c.half!, mul(c.third!, fv))));
      f.set(r);
      emit(f, sub(mul(dk, c.ln2Hi!), sub(sub(r, mul(dk, c.ln2Lo!)), fv)));
      f.set(a);
      // Otherwise s = f/(2 + f), R = t2 + t1 from the Lg polynomial in z = s², w = z².
      emit(f, add(c.two!, fv));
      f.set(t);
      f.get(fv).get(t).div().set(s);
      emit(f, mul(s, s));
      f.set(z);
      emit(f, mul(z, z));
      f.set(w);
      const t1 = mul(w, add(c.lg2!, mul(w, add(c.lg4!, mul(w, c.lg6!)))));
      const t2 = mul(z, add(c.lg1!, mul(w, add(c.lg3!, mul(w, add(c.lg5!, mul(w, c.lg7!)))))));
      emit(f, add(t2, t1));
      f.set(r);
      // (hx − 0x6147a) | (0x6b851 − hx) > 0: the hfsq formula, else f − s·(f − R).
      emit(f, mul(mul(c.half!, fv), fv));
      f.set(hfsq);
      emit(f, sub(mul(dk, c.ln2Hi!), sub(sub(hfsq, add(mul(s, add(hfsq, r)), mul(dk, c.ln2Lo!))), fv)));
      emit(f, sub(mul(dk, c.ln2Hi!), sub(sub(mul(s, sub(fv, r)), mul(dk, c.ln2Lo!)), fv)));
      f.get(hx).get(lowCut).i64x2Sub().get(highCut).get(hx).i64x2Sub().or().get(zero).i64x2GtS();
      f.bitselect().set(b);
      // Pick |f| < 2^-20 where (2 + hx) & 0xfffff < 3.
      f.get(a).get(b);
      f.get(hx).get(two).i64x2Add().get(mantissaMask).and().get(three).i64x2LtS();
      f.bitselect().set(a);
      // db = dbPerLn·ln x where x > amin, the floor elsewhere (NaN included), +∞ for +∞.
      f.get(m);
      emit(f, mul(c.dbPerLn!, a));
      f.get(c.dbFloor!).get(x).get(c.amin!).gt().bitselect();
      f.set(a).get(c.infinity!).get(a).get(x).get(c.infinity!).eq().bitselect();
      f.v128Store(L.db);
      f.get(m).i32(16).i32Add().set(m);
    },
    () => f.get(m).i32(16 * spec.bands.length).i32LtU(),
  );
  return f;
}

/** Fills the constant tables (window, bit reversal, twiddles, split twiddles, mel weights). */
function writeTables(memory: ArrayBuffer, spec: MelKernelSpec, fft: RealPowerSpectrum, L: Layout): void {
  const half = spec.nFft / 2;
  const f64 = new Float64Array(memory);
  const i32s = new Int32Array(memory);
  f64.set(spec.window, L.window / 8);
  for (let n = 0; n < half; n++) i32s[L.bitReversed / 4 + n] = 16 * fft.fft.bitReversed[n]!;
  fft.fft.twiddles.forEach((table, s) => {
    const at = L.twiddles[s]! / 8;
    for (let i = 0; i < table.length; i++) f64[at + 2 * i] = f64[at + 2 * i + 1] = table[i]!;
  });
  for (let k = 0; k <= Math.floor(half / 2); k++) {
    const at = L.split / 8 + 4 * k;
    f64[at] = f64[at + 1] = fft.cos[k]!;
    f64[at + 2] = f64[at + 3] = fft.sin[k]!;
  }
  let at = L.weights / 8;
  for (const band of spec.bands) {
    f64.set(band.weights, at);
    at += band.weights.length;
  }
  const nMels = spec.bands.length;
  for (let m = 0; m < nMels; m++) {
    for (let k = 0; k < spec.nOut; k++) f64[L.dctMatrix / 8 + m * 2 * L.dctPairs + k] = spec.dct[k * nMels + m]!;
  }
}

const moduleCache = new Map<string, WasmModule>();

class WasmMelKernel implements MelKernel {
  readonly simd = true;
  samples!: Float64Array;
  power!: Float64Array;
  mel!: Float64Array;
  db!: Float64Array;
  private memory!: WasmMemory;
  private runRaw!: (a: number, b: number) => void;
  private dctRaw!: (inEnd: number) => void;
  decibels!: () => void;
  private readonly api: WasmApi;
  private readonly module: WasmModule;
  private readonly spec: MelKernelSpec;
  private readonly layout: Layout;

  /** The constant tables, bytes [0, layout.samples) of a fresh memory. */
  private readonly tables: Uint8Array;

  constructor(api: WasmApi, module: WasmModule, spec: MelKernelSpec, layout: Layout, tables: Uint8Array, initialSamples: number) {
    this.api = api;
    this.module = module;
    this.spec = spec;
    this.layout = layout;
    this.tables = tables;
    this.instantiate(initialSamples);
  }

  /**
   * A fresh instance on a fresh memory with room for `capacity` samples. Memory is never grown in place:
   * growing detaches the old ArrayBuffer, and the first detach anywhere in the process makes V8 add detach
   * checks to every typed-array access in optimised JavaScript (measured: the resampler ~20% slower).
   */
  private instantiate(capacity: number): void {
    const { api, layout, spec } = this;
    const memory = new api.Memory({ initial: Math.ceil((layout.samples + 8 * capacity) / pageBytes) });
    const instance = new api.Instance(this.module, { kernel: { memory } });
    this.memory = memory;
    this.runRaw = instance.exports.run as (a: number, b: number) => void;
    this.dctRaw = instance.exports.dct as (inEnd: number) => void;
    const buffer = memory.buffer;
    new Uint8Array(buffer, 0, layout.samples).set(this.tables);
    this.samples = new Float64Array(buffer, layout.samples, (buffer.byteLength - layout.samples) / 8);
    this.power = new Float64Array(buffer, layout.power, 2 * (spec.nFft / 2 + 1));
    this.mel = new Float64Array(buffer, layout.mel, 2 * spec.bands.length);
    this.db = new Float64Array(buffer, layout.db, 2 * spec.bands.length);
    this.decibels = instance.exports.decibels as () => void;
  }

  reserveSamples(length: number): void {
    if (length <= this.samples.length) return;
    const old = this.samples;
    this.instantiate(Math.max(length, 2 * old.length));
    this.samples.set(old);
  }

  run(a: number, b: number): void {
    const base = this.layout.samples;
    this.runRaw(base + 8 * a, base + 8 * b);
  }

  dct(logMel: Float32Array, out: Float32Array): void {
    const nMels = this.spec.bands.length;
    const nOut = this.spec.nOut;
    const { dctIn, dctOut, dctPairs } = this.layout;
    const buffer = this.memory.buffer;
    const input = new Float64Array(buffer, dctIn, dctBlock * nMels);
    const output = new Float64Array(buffer, dctOut, dctBlock * 2 * dctPairs);
    const nFrames = logMel.length / nMels;
    for (let t0 = 0; t0 < nFrames; t0 += dctBlock) {
      const count = Math.min(dctBlock, nFrames - t0);
      input.set(logMel.subarray(t0 * nMels, (t0 + count) * nMels));
      this.dctRaw(8 * count * nMels);
      for (let t = 0, to = t0 * nOut; t < count; t++) {
        for (let k = 0, from = t * 2 * dctPairs; k < nOut; k++) out[to++] = output[from + k]!;
      }
    }
  }
}

/** The same computation, one frame at a time in plain JavaScript, with the same lane-interleaved outputs. */
class ScalarMelKernel implements MelKernel {
  readonly simd = false;
  samples: Float64Array;
  readonly power: Float64Array;
  readonly mel: Float64Array;
  readonly db: Float64Array;
  private readonly spec: MelKernelSpec;
  private readonly fft: RealPowerSpectrum;
  private readonly scratch: Float64Array;

  constructor(spec: MelKernelSpec, fft: RealPowerSpectrum, initialSamples: number) {
    this.spec = spec;
    this.fft = fft;
    this.samples = new Float64Array(initialSamples);
    this.scratch = new Float64Array(spec.nFft / 2 + 1);
    this.power = new Float64Array(2 * this.scratch.length);
    this.mel = new Float64Array(2 * spec.bands.length);
    this.db = new Float64Array(2 * spec.bands.length);
  }

  reserveSamples(length: number): void {
    if (length <= this.samples.length) return;
    const grown = new Float64Array(Math.max(length, 2 * this.samples.length));
    grown.set(this.samples);
    this.samples = grown;
  }

  run(a: number, b: number): void {
    const { scratch, power, mel } = this;
    for (const [lane, start] of [
      [0, a],
      [1, b],
    ] as const) {
      this.fft.compute(this.samples, start, this.spec.window, scratch);
      for (let k = 0; k < scratch.length; k++) power[2 * k + lane] = scratch[k]!;
      this.spec.bands.forEach((band, m) => {
        let sum = 0;
        for (let j = 0; j < band.weights.length; j++) sum += band.weights[j]! * scratch[band.firstBin + j]!;
        mel[2 * m + lane] = sum;
      });
    }
    this.decibels();
  }

  decibels(): void {
    const { mel, db } = this;
    const { amin } = this.spec;
    const { dbPerLn, dbFloor } = decibelConstants(amin);
    // 10·log10(max(S, amin)) with ref = 1.0 (so no offset), via the natural log.
    for (let i = 0; i < mel.length; i++) db[i] = mel[i]! > amin ? dbPerLn * Math.log(mel[i]!) : dbFloor;
  }

  dct(logMel: Float32Array, out: Float32Array): void {
    const { dct, nOut } = this.spec;
    const nMels = this.spec.bands.length;
    const nFrames = logMel.length / nMels;
    for (let t = 0; t < nFrames; t++) {
      for (let k = 0; k < nOut; k++) {
        let sum = 0;
        for (let m = 0, d = k * nMels; m < nMels; m++, d++) sum += dct[d]! * logMel[t * nMels + m]!;
        out[t * nOut + k] = sum;
      }
    }
  }
}

/** Makes kernels for one spec; the preparation (tables, compiled module) is done once. */
export interface MelKernelFactory {
  create(initialSamples: number): MelKernel;
}

/** WebAssembly SIMD where available (unless `scalar` is asked for), else plain JavaScript. */
export function prepareMelKernel(spec: MelKernelSpec, options: { scalar?: boolean } = {}): MelKernelFactory {
  const fft = new RealPowerSpectrum(spec.nFft);
  const api = wasmSimd();
  if (options.scalar || !api) return { create: (initialSamples) => new ScalarMelKernel(spec, fft, initialSamples) };
  const layout = layoutFor(spec, fft);
  // The code depends on the sizes, the bands' spans and amin only; window, weights and DCT matrix are data.
  const key = JSON.stringify([spec.nFft, spec.nOut, spec.amin, spec.bands.map((b) => [b.firstBin, b.weights.length])]);
  let module = moduleCache.get(key);
  if (!module) {
    module = new api.Module(encodeModule(spec, fft, layout));
    moduleCache.set(key, module);
  }
  const tables = new ArrayBuffer(layout.samples);
  writeTables(tables, spec, fft, layout);
  const compiled = module;
  return { create: (initialSamples) => new WasmMelKernel(api, compiled, spec, layout, new Uint8Array(tables), initialSamples) };
}

/** A kernel for `spec` with room for `initialSamples` pending samples (see prepareMelKernel). */
export function createMelKernel(spec: MelKernelSpec, initialSamples: number, options: { scalar?: boolean } = {}): MelKernel {
  return prepareMelKernel(spec, options).create(initialSamples);
}
