// The safetensors format (https://huggingface.co/docs/safetensors): an 8-byte little-endian header length,
// a JSON header { name: { dtype, shape, data_offsets: [begin, end] }, __metadata__: { string: string } }
// padded with spaces to a multiple of 8, then the raw little-endian tensor bytes.

export interface Float32Tensor {
  shape: number[];
  data: Float32Array;
}

export interface SafetensorsFile {
  metadata: Record<string, string>;
  tensors: Record<string, Float32Tensor>;
}

const littleEndianHost = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Encodes float32 tensors (in insertion order) and string metadata. */
export function encodeSafetensors(file: SafetensorsFile): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: file.metadata };
  let offset = 0;
  for (const [name, tensor] of Object.entries(file.tensors)) {
    if (name === '__metadata__') throw new Error('a tensor cannot be named __metadata__');
    if (elementCount(tensor.shape) !== tensor.data.length) {
      throw new Error(`tensor ${name}: shape [${tensor.shape.join(', ')}] does not match ${tensor.data.length} values`);
    }
    const bytes = tensor.data.length * 4;
    header[name] = { dtype: 'F32', shape: tensor.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let headerJson = JSON.stringify(header);
  const headerBytesRaw = new TextEncoder().encode(headerJson).length;
  headerJson += ' '.repeat((8 - ((8 + headerBytesRaw) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(headerJson);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const tensor of Object.values(file.tensors)) {
    if (littleEndianHost) {
      out.set(new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength), at);
      at += tensor.data.byteLength;
    } else {
      for (let i = 0; i < tensor.data.length; i++, at += 4) view.setFloat32(at, tensor.data[i]!, true);
    }
  }
  return out;
}

/** Decodes a file written by encodeSafetensors (F32 tensors only). */
export function decodeSafetensors(bytes: Uint8Array): SafetensorsFile {
  if (bytes.length < 8) throw new Error('safetensors: shorter than its header length');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (8 + headerLength > bytes.length) throw new Error('safetensors: header longer than the file');
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Record<string, unknown>;
  const dataStart = 8 + headerLength;
  const file: SafetensorsFile = { metadata: (header.__metadata__ as Record<string, string> | undefined) ?? {}, tensors: {} };
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const { dtype, shape, data_offsets: offsets } = entry as { dtype: string; shape: number[]; data_offsets: [number, number] };
    if (dtype !== 'F32') throw new Error(`safetensors: tensor ${name} has dtype ${dtype}, only F32 is read`);
    const data = new Float32Array(elementCount(shape));
    for (let i = 0; i < data.length; i++) data[i] = view.getFloat32(dataStart + offsets[0] + 4 * i, true);
    file.tensors[name] = { shape, data };
  }
  return file;
}
