// A FLAC decoder in TypeScript (format: https://xiph.org/flac/format.html, RFC 9639): STREAMINFO, then
// frames of fixed/LPC/verbatim/constant subframes with Rice-coded residuals and stereo decorrelation.
// Written here rather than taken from a package so that nothing GPL/LGPL ships and frames stream from disk.
import { VoiceVaultError } from '../../shared/errors';
import { maxChannels, maxSampleRate, minSampleRate } from './limits';

export interface FlacStreamInfo {
  minBlockSize: number;
  maxBlockSize: number;
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** 0 when unknown. */
  totalSamples: number;
}

function corrupt(message: string): VoiceVaultError {
  return new VoiceVaultError('CorruptAudio', message);
}

/** Thrown internally when a frame runs past the bytes at hand. */
export class NeedMoreData extends Error {}

class BitReader {
  private readonly bytes: Uint8Array;
  position: number; // in bits

  constructor(bytes: Uint8Array, byteOffset: number) {
    this.bytes = bytes;
    this.position = byteOffset * 8;
  }

  get byteOffset(): number {
    return this.position >>> 3;
  }

  read(bits: number): number {
    // Up to 32 bits; arithmetic in doubles, so values above 2^31 stay positive.
    let value = 0;
    let remaining = bits;
    while (remaining > 0) {
      const byte = this.bytes[this.position >>> 3];
      if (byte === undefined) throw new NeedMoreData();
      const used = this.position & 7;
      const available = 8 - used;
      const take = Math.min(available, remaining);
      const chunk = (byte >> (available - take)) & ((1 << take) - 1);
      value = value * (1 << take) + chunk;
      this.position += take;
      remaining -= take;
    }
    return value;
  }

  readSigned(bits: number): number {
    if (bits === 0) return 0;
    const value = this.read(bits);
    return value >= 2 ** (bits - 1) ? value - 2 ** bits : value;
  }

  /** Counts zero bits up to and including the next one bit. */
  readUnary(): number {
    let count = 0;
    for (;;) {
      const byte = this.bytes[this.position >>> 3];
      if (byte === undefined) throw new NeedMoreData();
      const used = this.position & 7;
      const rest = (byte << used) & 0xff;
      if (rest === 0) {
        count += 8 - used;
        this.position += 8 - used;
        if (count > 1 << 20) throw corrupt('a FLAC residual is implausibly long');
        continue;
      }
      const zeros = Math.clz32(rest) - 24;
      count += zeros;
      this.position += zeros + 1;
      return count;
    }
  }

  alignToByte(): void {
    this.position = (this.position + 7) & ~7;
  }
}

const crc8Table = (() => {
  const table = new Uint8Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 0x80 ? ((c << 1) ^ 0x07) & 0xff : (c << 1) & 0xff;
    table[i] = c;
  }
  return table;
})();

const crc16Table = (() => {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 8;
    for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x8005) & 0xffff : (c << 1) & 0xffff;
    table[i] = c;
  }
  return table;
})();

function crc8(bytes: Uint8Array, from: number, to: number): number {
  let crc = 0;
  for (let i = from; i < to; i++) crc = crc8Table[crc ^ bytes[i]!]!;
  return crc;
}

function crc16(bytes: Uint8Array, from: number, to: number): number {
  let crc = 0;
  for (let i = from; i < to; i++) crc = ((crc << 8) & 0xffff) ^ crc16Table[(crc >> 8) ^ bytes[i]!]!;
  return crc;
}

/** Parses "fLaC" and the metadata blocks; returns STREAMINFO and where the first frame starts. */
export function parseFlacHeader(bytes: Uint8Array): { info: FlacStreamInfo; framesOffset: number } {
  if (String.fromCharCode(...bytes.subarray(0, 4)) !== 'fLaC') throw corrupt('not a FLAC stream');
  let at = 4;
  let info: FlacStreamInfo | undefined;
  for (let blocks = 0; ; blocks++) {
    if (blocks > 1000) throw corrupt('the FLAC file has too many metadata blocks');
    if (at + 4 > bytes.length) throw new NeedMoreData();
    const header = bytes[at]!;
    const length = (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!;
    const type = header & 0x7f;
    const body = at + 4;
    if (type === 0) {
      if (length < 34) throw corrupt('the FLAC STREAMINFO block is too short');
      if (body + 34 > bytes.length) throw new NeedMoreData();
      const reader = new BitReader(bytes, body);
      const minBlockSize = reader.read(16);
      const maxBlockSize = reader.read(16);
      reader.read(24);
      reader.read(24);
      const sampleRate = reader.read(20);
      const channels = reader.read(3) + 1;
      const bitsPerSample = reader.read(5) + 1;
      const totalSamples = reader.read(4) * 2 ** 32 + reader.read(32);
      if (sampleRate < minSampleRate || sampleRate > maxSampleRate) {
        throw new VoiceVaultError('InvalidAudioParameters', `the FLAC declares a sample rate of ${sampleRate} Hz`);
      }
      if (channels > maxChannels) throw new VoiceVaultError('InvalidAudioParameters', `the FLAC declares ${channels} channels`);
      if (bitsPerSample < 4) throw new VoiceVaultError('InvalidAudioParameters', `the FLAC declares ${bitsPerSample}-bit samples`);
      if (maxBlockSize < 16 || minBlockSize > maxBlockSize) throw corrupt('the FLAC declares impossible block sizes');
      info = { minBlockSize, maxBlockSize, sampleRate, channels, bitsPerSample, totalSamples };
    } else if (blocks === 0) {
      throw corrupt('the FLAC does not start with STREAMINFO');
    }
    at = body + length;
    if (header & 0x80) break;
  }
  if (!info) throw corrupt('the FLAC has no STREAMINFO');
  return { info, framesOffset: at };
}

const blockSizes = [0, 192, 576, 1152, 2304, 4608, -8, -16, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768];
const sampleRates = [0, 88200, 176400, 192000, 8000, 16000, 22050, 24000, 32000, 44100, 48000, 96000, -8, -16, -160, -1];
const sampleSizes = [0, 8, 12, -1, 16, 20, 24, 32];

export interface FlacFrame {
  /** Mono samples (channels averaged), scaled to [−1, 1). */
  mono: Float32Array;
  /** Bytes the frame occupied. */
  bytes: number;
}

function decodeResidual(reader: BitReader, blockSize: number, order: number, out: Float64Array): void {
  const method = reader.read(2);
  if (method > 1) throw corrupt('a FLAC residual uses a reserved coding method');
  const paramBits = method === 0 ? 4 : 5;
  const escape = method === 0 ? 15 : 31;
  const partitionOrder = reader.read(4);
  const partitions = 1 << partitionOrder;
  const perPartition = blockSize >> partitionOrder;
  if (perPartition << partitionOrder !== blockSize || perPartition < order) throw corrupt('a FLAC residual partition does not fit the block');
  let at = order;
  for (let p = 0; p < partitions; p++) {
    const count = p === 0 ? perPartition - order : perPartition;
    const parameter = reader.read(paramBits);
    if (parameter === escape) {
      const bits = reader.read(5);
      for (let i = 0; i < count; i++) out[at++] = reader.readSigned(bits);
    } else {
      for (let i = 0; i < count; i++) {
        const high = reader.readUnary();
        const low = parameter > 0 ? reader.read(parameter) : 0;
        const folded = high * 2 ** parameter + low;
        // Zig-zag: 0, −1, 1, −2, 2 …
        out[at++] = folded % 2 === 0 ? folded / 2 : -(folded + 1) / 2;
      }
    }
  }
}

function decodeSubframe(reader: BitReader, blockSize: number, bits: number, out: Float64Array): void {
  if (reader.read(1) !== 0) throw corrupt('a FLAC subframe has a bad padding bit');
  const type = reader.read(6);
  let wasted = 0;
  if (reader.read(1) === 1) wasted = reader.readUnary() + 1;
  const sampleBits = bits - wasted;
  if (sampleBits <= 0) throw corrupt('a FLAC subframe wastes all its bits');
  if (type === 0) {
    const value = reader.readSigned(sampleBits);
    out.fill(value, 0, blockSize);
  } else if (type === 1) {
    for (let i = 0; i < blockSize; i++) out[i] = reader.readSigned(sampleBits);
  } else if (type >= 8 && type <= 12) {
    const order = type - 8;
    if (order > blockSize) throw corrupt('a FLAC predictor is longer than its block');
    for (let i = 0; i < order; i++) out[i] = reader.readSigned(sampleBits);
    decodeResidual(reader, blockSize, order, out);
    // Fixed polynomial predictors of order 0–4.
    for (let i = order; i < blockSize; i++) {
      switch (order) {
        case 1:
          out[i] = out[i]! + out[i - 1]!;
          break;
        case 2:
          out[i] = out[i]! + 2 * out[i - 1]! - out[i - 2]!;
          break;
        case 3:
          out[i] = out[i]! + 3 * out[i - 1]! - 3 * out[i - 2]! + out[i - 3]!;
          break;
        case 4:
          out[i] = out[i]! + 4 * out[i - 1]! - 6 * out[i - 2]! + 4 * out[i - 3]! - out[i - 4]!;
          break;
      }
    }
  } else if (type >= 32) {
    const order = type - 31;
    if (order > blockSize) throw corrupt('a FLAC predictor is longer than its block');
    for (let i = 0; i < order; i++) out[i] = reader.readSigned(sampleBits);
    const precision = reader.read(4) + 1;
    if (precision === 16) throw corrupt('a FLAC LPC uses the reserved precision');
    const shift = reader.readSigned(5);
    if (shift < 0) throw corrupt('a FLAC LPC has a negative shift');
    const coefficients = new Float64Array(order);
    for (let i = 0; i < order; i++) coefficients[i] = reader.readSigned(precision);
    decodeResidual(reader, blockSize, order, out);
    const divisor = 2 ** shift;
    for (let i = order; i < blockSize; i++) {
      let sum = 0;
      for (let j = 0; j < order; j++) sum += coefficients[j]! * out[i - 1 - j]!;
      out[i] = out[i]! + Math.floor(sum / divisor);
    }
  } else {
    throw corrupt(`a FLAC subframe uses reserved type ${type}`);
  }
  if (wasted > 0) {
    const scale = 2 ** wasted;
    for (let i = 0; i < blockSize; i++) out[i] = out[i]! * scale;
  }
}

/** Decodes one frame starting at `offset`. Throws NeedMoreData when `bytes` ends inside it. */
export function decodeFlacFrame(bytes: Uint8Array, offset: number, info: FlacStreamInfo): FlacFrame {
  if (offset + 2 > bytes.length) throw new NeedMoreData();
  if (bytes[offset] !== 0xff || (bytes[offset + 1]! & 0xfe) !== 0xf8) throw corrupt('lost FLAC frame sync (corrupt data)');
  const reader = new BitReader(bytes, offset + 2);
  const blockSizeCode = reader.read(4);
  const sampleRateCode = reader.read(4);
  const channelCode = reader.read(4);
  const sampleSizeCode = reader.read(3);
  reader.read(1);
  // UTF-8-style coded frame or sample number.
  const lead = reader.read(8);
  let extra = 0;
  if (lead >= 0xc0) {
    for (let mask = 0x20; lead & (mask << 1) && extra < 6; mask >>= 1) extra++;
  } else if (lead >= 0x80) {
    throw corrupt('a FLAC frame number is malformed');
  }
  for (let i = 0; i < extra; i++) if ((reader.read(8) & 0xc0) !== 0x80) throw corrupt('a FLAC frame number is malformed');
  let blockSize = blockSizes[blockSizeCode]!;
  if (blockSize === 0) throw corrupt('a FLAC frame uses a reserved block size');
  if (blockSize === -8) blockSize = reader.read(8) + 1;
  else if (blockSize === -16) blockSize = reader.read(16) + 1;
  const rateCode = sampleRates[sampleRateCode]!;
  if (rateCode === -1) throw corrupt('a FLAC frame uses a reserved sample rate');
  if (rateCode === -8) reader.read(8);
  else if (rateCode === -16 || rateCode === -160) reader.read(16);
  const headerEnd = reader.byteOffset;
  const headerCrc = reader.read(8);
  if (headerEnd > bytes.length) throw new NeedMoreData();
  if (crc8(bytes, offset, headerEnd) !== headerCrc) throw corrupt('a FLAC frame header fails its checksum (corrupt data)');
  if (channelCode > 10) throw corrupt('a FLAC frame uses a reserved channel layout');
  const channels = channelCode < 8 ? channelCode + 1 : 2;
  if (channels !== info.channels) throw corrupt('a FLAC frame’s channel count differs from the stream’s');
  let bits = sampleSizes[sampleSizeCode]!;
  if (bits === -1) throw corrupt('a FLAC frame uses a reserved sample size');
  if (bits === 0) bits = info.bitsPerSample;
  if (blockSize > 65536) throw corrupt('a FLAC block is too large');

  const channelData: Float64Array[] = [];
  for (let c = 0; c < channels; c++) {
    // The side channel carries one extra bit.
    const sideChannel = (channelCode === 8 && c === 1) || (channelCode === 9 && c === 0) || (channelCode === 10 && c === 1);
    const data = new Float64Array(blockSize);
    decodeSubframe(reader, blockSize, bits + (sideChannel ? 1 : 0), data);
    channelData.push(data);
  }
  reader.alignToByte();
  const end = reader.byteOffset;
  const frameCrc = reader.read(16);
  if (crc16(bytes, offset, end) !== frameCrc) throw corrupt('a FLAC frame fails its checksum (corrupt data)');

  const [first, second] = channelData;
  if (channelCode >= 8 && first && second) {
    for (let i = 0; i < blockSize; i++) {
      const a = first[i]!;
      const b = second[i]!;
      if (channelCode === 8) {
        second[i] = a - b; // left, side → right
      } else if (channelCode === 9) {
        first[i] = a + b; // side, right → left
      } else {
        // mid, side → left, right: mid·2 + (side & 1), then halve sum and difference.
        const mid = a * 2 + (Math.abs(b) % 2);
        first[i] = Math.floor((mid + b) / 2);
        second[i] = Math.floor((mid - b) / 2);
      }
    }
  }
  const mono = new Float32Array(blockSize);
  const scale = 1 / (2 ** (bits - 1) * channels);
  for (let i = 0; i < blockSize; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += channelData[c]![i]!;
    mono[i] = sum * scale;
  }
  return { mono, bytes: reader.byteOffset - offset };
}
