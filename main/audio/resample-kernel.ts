// One resampling stage in WebAssembly SIMD (f32x4): the polyphase filter of resample-filter.ts, computed for
// four stretches of output at once, one per lane.
//
// A tile is 4·S consecutive outputs; lane j computes outputs [jS, (j+1)S) of it. S is a multiple of `up`, so
// every lane sees the same branch sequence and lane j's inputs are lane 0's shifted by j·D samples
// (D = S·down/up). `fill` interleaves the tile's inputs as X4[t] = (x[t], x[t+D], x[t+2D], x[t+3D]); each
// output of a lane is then Σ_k c[k]·X4[base + k] with plain vector loads, one coefficient splat serving all four
// lanes and B outputs of the same branch (B registers of accumulators), so the loop is loads, multiplies and adds.
import type { StageFilter } from './resample-filter';
import type { ResampleStage } from './resample-scalar';
import { FunctionBody, encodeModule, i32, pageBytes, v128, type WasmApi, type WasmMemory, type WasmModule } from './wasm-encoder';

/** The f32x4 instructions the stage uses. */
class F32x4Body extends FunctionBody {
  zero(): this {
    this.simd(0x0c);
    for (let i = 0; i < 16; i++) this.code.push(0);
    return this;
  }
  /** Loads one f32 into all four lanes. */
  load32Splat(offset: number): this {
    return this.simd(0x09).memarg(2, offset);
  }
  splat(): this {
    return this.simd(0x13);
  }
  extractLane(index: number): this {
    return this.simd(0x1f).lane(index);
  }
  replaceLane(index: number): this {
    return this.simd(0x20).lane(index);
  }
  add(): this {
    return this.simd(0xe4);
  }
  mul(): this {
    return this.simd(0xe6);
  }
}

/** Outputs of the same branch per pass (accumulator registers). */
const blockOutputs = 4;
/** Input samples per lane and tile, roughly: big enough to amortise `fill`, small enough that X4 stays in cache. */
const laneInputs = 8192;
/**
 * The input region holds this many tiles' worth of input, so the samples kept for the next tile are moved to
 * its start only once every few tiles.
 */
const tilesPerRegion = 4;

interface Geometry {
  up: number;
  down: number;
  taps: number;
  /** Same-branch groups per lane (a multiple of blockOutputs). */
  groups: number;
  /** Outputs per lane, groups·up. */
  S: number;
  /** Input offset between lanes, groups·down. */
  D: number;
  /** X4 entries: D + taps. */
  L: number;
  /** Byte offsets. */
  rtab: number;
  table: number;
  x4: number;
  out: number;
  input: number;
  /** Input region capacity in samples. */
  capacity: number;
  bytes: number;
}

function geometryOf(filter: StageFilter): Geometry {
  const { up, down, taps } = filter;
  const groups = Math.max(blockOutputs, Math.round(laneInputs / down / blockOutputs) * blockOutputs);
  const S = groups * up;
  const D = groups * down;
  const L = D + taps;
  const align = (n: number): number => Math.ceil(n / 16) * 16;
  const rtab = 0;
  const table = align(rtab + 12 * up);
  const x4 = align(table + 4 * up * taps);
  const out = align(x4 + 16 * L);
  const input = align(out + 16 * S);
  const capacity = tilesPerRegion * 4 * D + taps;
  return { up, down, taps, groups, S, D, L, rtab, table, x4, out, input, capacity, bytes: input + 4 * capacity };
}

/**
 * fill(src): X4[t] = (x[src + t], x[src + t + D], x[src + t + 2D], x[src + t + 3D]) for t < L (src a byte address).
 * run(): the tile's 4·S outputs from X4, by branch: for each r < up (a row of `rtab`: branch coefficients, X4
 * start, output start), the outputs r, r + up, r + 2·up, … of every lane, blockOutputs at a time.
 */
function encodeStage(g: Geometry): Uint8Array {
  const fill = new F32x4Body(1);
  {
    const src = 0;
    const end = fill.local(i32);
    const to = fill.local(i32);
    const vector = fill.local(v128);
    fill.get(src).i32(4 * g.L).i32Add().set(end);
    fill.i32(g.x4).set(to);
    fill.doWhile(
      () => {
        fill.get(src).f32Load(0).splat().set(vector);
        for (let lane = 1; lane < 4; lane++) fill.get(vector).get(src).f32Load(4 * lane * g.D).replaceLane(lane).set(vector);
        fill.get(to).get(vector).v128Store(0);
        fill.get(src).i32(4).i32Add().set(src);
        fill.get(to).i32(16).i32Add().set(to);
      },
      () => fill.get(src).get(end).i32LtU(),
    );
  }

  const run = new F32x4Body(0);
  {
    const row = run.local(i32);
    const coefficients = run.local(i32);
    const coefficientsEnd = run.local(i32);
    const x = run.local(i32);
    const out = run.local(i32);
    const passes = run.local(i32);
    const c = run.local(i32);
    const p = run.local(i32);
    const coefficient = run.local(v128);
    const sums = Array.from({ length: blockOutputs }, () => run.local(v128));
    run.i32(g.rtab).set(row);
    run.doWhile(
      () => {
        run.get(row).i32Load(0).tee(coefficients).i32(4 * g.taps).i32Add().set(coefficientsEnd);
        run.get(row).i32Load(4).set(x);
        run.get(row).i32Load(8).set(out);
        run.i32(g.groups / blockOutputs).set(passes);
        run.doWhile(
          () => {
            for (const sum of sums) run.zero().set(sum);
            run.get(coefficients).set(c);
            run.get(x).set(p);
            // Two taps per iteration (taps is even).
            run.doWhile(
              () => {
                for (let u = 0; u < 2; u++) {
                  run.get(c).load32Splat(4 * u).set(coefficient);
                  sums.forEach((sum, b) => {
                    run.get(sum).get(p).v128Load(16 * (b * g.down + u)).get(coefficient).mul().add().set(sum);
                  });
                }
                run.get(c).i32(8).i32Add().set(c);
                run.get(p).i32(32).i32Add().set(p);
              },
              () => run.get(c).get(coefficientsEnd).i32LtU(),
            );
            sums.forEach((sum, b) => {
              for (let lane = 0; lane < 4; lane++) run.get(out).get(sum).extractLane(lane).f32Store(4 * (lane * g.S + b * g.up));
            });
            run.get(x).i32(16 * blockOutputs * g.down).i32Add().set(x);
            run.get(out).i32(4 * blockOutputs * g.up).i32Add().set(out);
          },
          () => run.get(passes).i32(1).i32Sub().tee(passes),
        );
        run.get(row).i32(12).i32Add().set(row);
      },
      () => run.get(row).i32(g.rtab + 12 * g.up).i32LtU(),
    );
  }
  return encodeModule('stage', [
    { params: [i32], body: fill, export: 'fill' },
    { params: [], body: run, export: 'run' },
  ]);
}

const moduleCache = new Map<string, WasmModule>();

export class SimdStage implements ResampleStage {
  private readonly filter: StageFilter;
  private readonly g: Geometry;
  private readonly memory: WasmMemory;
  private readonly fill: (src: number) => void;
  private readonly run: () => void;
  private readonly input: Float32Array;
  private readonly out: Float32Array;
  private bufferLength: number;
  /** Absolute input index of input[0]. */
  private bufferStart: number;
  private inputCount = 0;
  private outputCount = 0;
  private tile = 0;

  constructor(filter: StageFilter, api: WasmApi) {
    if (!filter.table) throw new Error('the SIMD stage needs a tabulated filter');
    this.filter = filter;
    const g = geometryOf(filter);
    this.g = g;
    const key = JSON.stringify([g.up, g.down, g.taps, g.groups]);
    let module = moduleCache.get(key);
    if (!module) {
      module = new api.Module(encodeStage(g));
      moduleCache.set(key, module);
    }
    this.memory = new api.Memory({ initial: Math.ceil(g.bytes / pageBytes) });
    const instance = new api.Instance(module, { stage: { memory: this.memory } });
    this.fill = instance.exports.fill as (src: number) => void;
    this.run = instance.exports.run as () => void;
    const buffer = this.memory.buffer;
    const rows = new Int32Array(buffer, g.rtab, 3 * g.up);
    for (let r = 0; r < g.up; r++) {
      const phase = (r * g.down) % g.up;
      rows[3 * r] = g.table + 4 * phase * g.taps;
      rows[3 * r + 1] = g.x4 + 16 * Math.floor((r * g.down) / g.up);
      rows[3 * r + 2] = g.out + 4 * r;
    }
    new Float32Array(buffer, g.table, g.up * g.taps).set(filter.table);
    this.input = new Float32Array(buffer, g.input, g.capacity);
    this.out = new Float32Array(buffer, g.out, 4 * g.S);
    // The signal is preceded by halfTaps − 1 zeros (fresh memory is zero), where the first tile starts reading.
    this.bufferStart = 1 - filter.halfTaps;
    this.bufferLength = filter.halfTaps - 1;
  }

  /** Absolute input index where tile k's lane 0 starts reading. */
  private tileStart(k: number): number {
    return k * 4 * this.g.D - this.filter.halfTaps + 1;
  }

  process(chunk: Float32Array): Float32Array {
    const out = new Float32Array(this.readyAfter(chunk.length) * 4 * this.g.S);
    let produced = 0;
    for (let at = 0; at < chunk.length; ) {
      const count = Math.min(chunk.length - at, this.g.capacity - this.bufferLength);
      this.input.set(chunk.subarray(at, at + count), this.bufferLength);
      this.bufferLength += count;
      at += count;
      produced = this.runReadyTiles(out, produced, Infinity);
    }
    this.inputCount += chunk.length;
    return out;
  }

  flush(): Float32Array {
    const total = Math.ceil((this.inputCount * this.g.up) / this.g.down);
    const out = new Float32Array(Math.max(0, total - this.outputCount));
    let produced = 0;
    while (this.outputCount < total) {
      // Zeros after the end, up to what the next tile reads.
      const needed = this.tileStart(this.tile) + 4 * this.g.D + this.g.taps - (this.bufferStart + this.bufferLength);
      const count = Math.min(Math.max(0, needed), this.g.capacity - this.bufferLength);
      this.input.fill(0, this.bufferLength, this.bufferLength + count);
      this.bufferLength += count;
      produced = this.runReadyTiles(out, produced, total);
    }
    return out;
  }

  /** Tiles that become complete once `more` input samples are added. */
  private readyAfter(more: number): number {
    const available = this.bufferStart + this.bufferLength + more;
    const { D, taps } = this.g;
    // Tile k is complete when k·4D − halfTaps + 1 + 4D + taps ≤ available.
    const complete = Math.floor((available + this.filter.halfTaps - 1 - taps) / (4 * D));
    return Math.max(0, complete - this.tile);
  }

  /** Runs the tiles the buffered input completes, writing their outputs (up to `total` in all) into `out` from `at`. */
  private runReadyTiles(out: Float32Array, at: number, total: number): number {
    const { D, taps, S } = this.g;
    while (this.outputCount < total && this.tileStart(this.tile) + 4 * D + taps <= this.bufferStart + this.bufferLength) {
      this.fill(this.g.input + 4 * (this.tileStart(this.tile) - this.bufferStart));
      this.run();
      const count = Math.min(4 * S, total - this.outputCount);
      out.set(count === 4 * S ? this.out : this.out.subarray(0, count), at);
      at += count;
      this.outputCount += count;
      this.tile++;
    }
    // Drop the inputs no later tile reads, once the region is too full to take another tile's worth.
    const keepFrom = this.tileStart(this.tile) - this.bufferStart;
    if (keepFrom > 0 && this.bufferLength + 4 * D > this.g.capacity) {
      this.input.copyWithin(0, keepFrom, this.bufferLength);
      this.bufferLength -= keepFrom;
      this.bufferStart += keepFrom;
    }
    return at;
  }
}
