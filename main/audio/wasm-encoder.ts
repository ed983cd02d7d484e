// A minimal WebAssembly encoder for the generated SIMD kernels (the resampler here, the mel spectrogram in
// main/features): modules are built as bytes at run time for one set of sizes, so there is no binary blob and
// no build step. Only the instructions the kernels use are here; each kernel adds its own lane-typed ones.

export const i32 = 0x7f;
export const v128 = 0x7b;

export function uleb(out: number[], value: number): void {
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
}

export function sleb(out: number[], value: number): void {
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return;
    }
    out.push(byte | 0x80);
  }
}

/** One function's locals and code; subclasses add the SIMD instructions of their lane type. */
export class FunctionBody {
  readonly code: number[] = [];
  private readonly localTypes: number[] = [];

  constructor(private readonly paramCount: number) {}

  local(type: number): number {
    this.localTypes.push(type);
    return this.paramCount + this.localTypes.length - 1;
  }

  protected op(...bytes: number[]): this {
    this.code.push(...bytes);
    return this;
  }

  protected simd(opcode: number): this {
    this.code.push(0xfd);
    uleb(this.code, opcode);
    return this;
  }

  protected memarg(alignLog2: number, offset: number): this {
    uleb(this.code, alignLog2);
    uleb(this.code, offset);
    return this;
  }

  /** A lane index immediate (extract_lane / replace_lane). */
  protected lane(index: number): this {
    this.code.push(index);
    return this;
  }

  get(index: number): this {
    this.op(0x20);
    uleb(this.code, index);
    return this;
  }
  set(index: number): this {
    this.op(0x21);
    uleb(this.code, index);
    return this;
  }
  tee(index: number): this {
    this.op(0x22);
    uleb(this.code, index);
    return this;
  }
  i32(value: number): this {
    this.op(0x41);
    sleb(this.code, value);
    return this;
  }
  i32Add(): this {
    return this.op(0x6a);
  }
  i32Sub(): this {
    return this.op(0x6b);
  }
  i32Mul(): this {
    return this.op(0x6c);
  }
  i32LtU(): this {
    return this.op(0x49);
  }
  i32LeU(): this {
    return this.op(0x4d);
  }
  i32Load(offset: number): this {
    return this.op(0x28).memarg(2, offset);
  }
  i32Store(offset: number): this {
    return this.op(0x36).memarg(2, offset);
  }
  f32Load(offset: number): this {
    return this.op(0x2a).memarg(2, offset);
  }
  f32Store(offset: number): this {
    return this.op(0x38).memarg(2, offset);
  }
  f64Load(offset: number): this {
    return this.op(0x2b).memarg(3, offset);
  }
  f64Const(value: number): this {
    this.op(0x44);
    const bytes = new Uint8Array(new Float64Array([value]).buffer);
    this.code.push(...bytes);
    return this;
  }
  /** alignLog2 is only a hint (4 = 16-byte aligned). */
  v128Load(offset: number, alignLog2 = 4): this {
    return this.simd(0x00).memarg(alignLog2, offset);
  }
  v128Store(offset: number): this {
    return this.simd(0x0b).memarg(4, offset);
  }
  call(index: number): this {
    this.op(0x10);
    uleb(this.code, index);
    return this;
  }
  /** do { body } while (condition leaves non-zero). */
  doWhile(body: () => void, condition: () => void): this {
    this.op(0x03, 0x40);
    body();
    condition();
    this.op(0x0d, 0x00, 0x0b);
    return this;
  }

  encode(): number[] {
    const out: number[] = [];
    uleb(out, this.localTypes.length);
    for (const type of this.localTypes) out.push(1, type);
    out.push(...this.code, 0x0b);
    const sized: number[] = [];
    uleb(sized, out.length);
    return [...sized, ...out];
  }
}

export function section(id: number, content: number[]): number[] {
  const out = [id];
  uleb(out, content.length);
  return [...out, ...content];
}

export function vector(items: number[][]): number[] {
  const out: number[] = [];
  uleb(out, items.length);
  for (const item of items) out.push(...item);
  return out;
}

export function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  const out: number[] = [];
  uleb(out, bytes.length);
  return [...out, ...bytes];
}

/**
 * A module of `functions` (each with its type: parameter types, no results) that imports its memory as
 * `<importModule>.memory` and exports the functions under `exports` names, in order.
 */
export function encodeModule(importModule: string, functions: readonly { params: number[]; body: FunctionBody; export: string }[]): Uint8Array {
  const typeSection = section(1, vector(functions.map((f) => [0x60, f.params.length, ...f.params, 0])));
  const functionSection = section(3, vector(functions.map((_, i) => [i])));
  // Memory is imported (at least one page), sized by the caller.
  const importSection = section(2, vector([[...name(importModule), ...name('memory'), 0x02, 0x00, 0x01]]));
  const exportSection = section(7, vector(functions.map((f, i) => [...name(f.export), 0x00, i])));
  const codeSection = section(10, vector(functions.map((f) => f.body.encode())));
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...typeSection, ...importSection, ...functionSection, ...exportSection, ...codeSection]);
}

// The project's TypeScript libs (Node, no DOM) do not declare the WebAssembly JS API; these few members are
// all the kernels use.
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
export interface WasmModule {
  readonly __wasmModule?: never;
}
export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => { readonly exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}

export const pageBytes = 65536;

let simdSupported: boolean | undefined;

/** The WebAssembly API when this runtime has fixed-width SIMD, else undefined (callers fall back to JavaScript). */
export function wasmSimd(): WasmApi | undefined {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (simdSupported === undefined) {
    // A function returning f64x2.splat(0.0): valid only where fixed-width SIMD is available.
    const probe = new Uint8Array([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03, 0x02, 0x01, 0x00, 0x0a, 0x0f, 0x01, 0x0d,
      0x00, 0x44, 0, 0, 0, 0, 0, 0, 0, 0, 0xfd, 0x14, 0x0b,
    ]);
    simdSupported = api !== undefined && api.validate(probe);
  }
  return simdSupported ? api : undefined;
}
