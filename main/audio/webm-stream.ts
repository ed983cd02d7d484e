// WebM/Matroska with Opus audio (what MediaRecorder writes): a small EBML reader walks the element tree,
// finds the Opus track's OpusHead (CodecPrivate) and feeds its blocks' frames to opus-decoder. Elements of
// unknown size (live recordings) are entered like any other container.
import { VoiceVaultError } from '../../shared/errors';
import type { AudioStream } from './audio-stream';
import { readAheadByteSource, type ByteSource } from './byte-source';
import { OpusPacketDecoder, opusSampleRate, parseOpusHead, type OpusHead } from './opus-packets';

const ids = {
  ebml: 0x1a45dfa3,
  docType: 0x4282,
  segment: 0x18538067,
  tracks: 0x1654ae6b,
  trackEntry: 0xae,
  trackNumber: 0xd7,
  trackType: 0x83,
  codecId: 0x86,
  codecPrivate: 0x63a2,
  cluster: 0x1f43b675,
  blockGroup: 0xa0,
  block: 0xa1,
  discardPadding: 0x75a2,
  simpleBlock: 0xa3,
} as const;

/** Containers we descend into; every other element is skipped whole. */
const containers = new Set<number>([ids.segment, ids.tracks, ids.trackEntry, ids.cluster]);
/** Leaves we read; anything else is skipped without reading its body. */
const leaves = new Set<number>([ids.docType, ids.trackNumber, ids.trackType, ids.codecId, ids.codecPrivate, ids.blockGroup, ids.simpleBlock]);
const maxLeafBytes = 8 << 20;
const maxElements = 50_000_000;

function corrupt(message: string): VoiceVaultError {
  return new VoiceVaultError('CorruptAudio', message);
}

interface ElementHeader {
  id: number;
  /** Body size in bytes, or null when unknown. */
  size: number | null;
  headerBytes: number;
}

/** Reads an EBML variable-length integer; `keepMarker` for element IDs. */
function readVint(bytes: Uint8Array, at: number, keepMarker: boolean): { value: number | null; length: number } | undefined {
  const first = bytes[at];
  if (first === undefined) return undefined;
  let length = 1;
  while (length <= 8 && (first & (0x80 >> (length - 1))) === 0) length++;
  if (length > 8) throw corrupt('an invalid EBML length marker');
  if (at + length > bytes.length) return undefined;
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    const b = bytes[at + i]!;
    value = value * 256 + b;
    if (b !== 0xff) allOnes = false;
  }
  if (!keepMarker && allOnes) return { value: null, length };
  return { value, length };
}

function readHeader(bytes: Uint8Array, at: number): ElementHeader | undefined {
  const id = readVint(bytes, at, true);
  if (!id) return undefined;
  const size = readVint(bytes, at + id.length, false);
  if (!size) return undefined;
  if (id.length > 4) throw corrupt('an EBML element ID longer than 4 bytes');
  return { id: id.value!, size: size.value, headerBytes: id.length + size.length };
}

function readUint(body: Uint8Array): number {
  let value = 0;
  for (const b of body) value = value * 256 + b;
  return value;
}

/** The frames of a (Simple)Block for `track`, or [] for other tracks. Handles all three lacing modes. */
function blockFrames(body: Uint8Array, track: number): Uint8Array[] {
  const trackNumber = readVint(body, 0, false);
  if (!trackNumber || trackNumber.value === null) throw corrupt('a Matroska block has no track number');
  if (trackNumber.value !== track) return [];
  let at = trackNumber.length + 3; // timecode (2) + flags (1)
  const flags = body[trackNumber.length + 2];
  if (flags === undefined) throw corrupt('a Matroska block is truncated');
  const lacing = (flags >> 1) & 3;
  if (lacing === 0) return [body.subarray(at)];
  const count = (body[at++] ?? 0) + 1;
  const sizes: number[] = [];
  if (lacing === 1) {
    // Xiph lacing
    for (let i = 0; i < count - 1; i++) {
      let size = 0;
      let b: number;
      do {
        b = body[at++] ?? -1;
        if (b < 0) throw corrupt('a Matroska block lacing header is truncated');
        size += b;
      } while (b === 255);
      sizes.push(size);
    }
  } else if (lacing === 3) {
    // EBML lacing: the first size, then signed differences.
    const first = readVint(body, at, false);
    if (!first || first.value === null) throw corrupt('a Matroska block lacing header is truncated');
    at += first.length;
    sizes.push(first.value);
    for (let i = 1; i < count - 1; i++) {
      const delta = readVint(body, at, false);
      if (!delta || delta.value === null) throw corrupt('a Matroska block lacing header is truncated');
      at += delta.length;
      const bias = 2 ** (7 * delta.length - 1) - 1;
      sizes.push(sizes[i - 1]! + delta.value - bias);
    }
  }
  const remaining = body.length - at;
  if (lacing === 2) {
    if (remaining % count !== 0) throw corrupt('a Matroska block has uneven fixed-size lacing');
    for (let i = 0; i < count; i++) sizes.push(remaining / count);
  } else {
    const used = sizes.reduce((a, b) => a + b, 0);
    if (used > remaining || sizes.some((s) => s < 0)) throw corrupt('a Matroska block lacing is inconsistent');
    sizes.push(remaining - used);
  }
  const frames: Uint8Array[] = [];
  for (const size of sizes) {
    frames.push(body.subarray(at, at + size));
    at += size;
  }
  return frames;
}

interface TrackInfo {
  number?: number;
  type?: number;
  codec?: string;
  codecPrivate?: Uint8Array;
}

type WebmEvent =
  | { kind: 'track'; track: TrackInfo }
  | { kind: 'block'; body: Uint8Array; discardPaddingNs: number }
  | { kind: 'docType'; value: string };

function readSigned(body: Uint8Array): number {
  if (body.length === 0) return 0;
  let value = (body[0]! & 0x80) !== 0 ? -1 : 0;
  for (const b of body) value = value * 256 + b;
  return value;
}

/** A BlockGroup's Block and its DiscardPadding (end trimming, in nanoseconds). */
function readBlockGroup(group: Uint8Array): { body: Uint8Array; discardPaddingNs: number } | undefined {
  let at = 0;
  let body: Uint8Array | undefined;
  let discardPaddingNs = 0;
  while (at < group.length) {
    const header = readHeader(group, at);
    if (!header || header.size === null) throw corrupt('a Matroska block group is malformed');
    const start = at + header.headerBytes;
    const end = start + header.size;
    if (end > group.length) throw corrupt('a Matroska block group is truncated');
    if (header.id === ids.block) body = group.subarray(start, end);
    if (header.id === ids.discardPadding) discardPaddingNs = readSigned(group.subarray(start, end));
    at = end;
  }
  return body ? { body, discardPaddingNs } : undefined;
}

/** Walks the file's elements in order, yielding track entries as they complete and block bodies. */
async function* webmEvents(source: ByteSource): AsyncGenerator<WebmEvent> {
  let offset = 0;
  let walked = 0;
  // Ends of open track entries, to know when one is complete.
  let track: { end: number | null; info: TrackInfo } | undefined;
  while (offset < source.size) {
    if (++walked > maxElements) throw corrupt('the Matroska file has too many elements');
    if (track && track.end !== null && offset >= track.end) {
      yield { kind: 'track', track: track.info };
      track = undefined;
    }
    const head = await source.read(offset, 12);
    const header = readHeader(head, 0);
    if (!header) {
      if (offset + head.length >= source.size) throw corrupt('the Matroska file ends inside an element header (truncated file?)');
      throw corrupt('an unreadable Matroska element header');
    }
    const bodyStart = offset + header.headerBytes;
    if (containers.has(header.id)) {
      if (header.id === ids.trackEntry) {
        if (track) yield { kind: 'track', track: track.info };
        track = { end: header.size === null ? null : bodyStart + header.size, info: {} };
      }
      offset = bodyStart;
      continue;
    }
    if (header.size === null) throw corrupt('a Matroska element of unknown size that is not a container');
    if (leaves.has(header.id)) {
      if (header.size > maxLeafBytes) throw corrupt('a Matroska element is implausibly large');
      const body = await source.read(bodyStart, header.size);
      if (body.length < header.size) throw corrupt('the Matroska file is truncated inside an element');
      switch (header.id) {
        case ids.docType:
          yield { kind: 'docType', value: String.fromCharCode(...body) };
          break;
        case ids.trackNumber:
          if (track) track.info.number = readUint(body);
          break;
        case ids.trackType:
          if (track) track.info.type = readUint(body);
          break;
        case ids.codecId:
          if (track) track.info.codec = String.fromCharCode(...body).replace(/\0+$/, '');
          break;
        case ids.codecPrivate:
          // Copied: `body` may view a read-ahead window that later reads replace.
          if (track) track.info.codecPrivate = body.slice();
          break;
        default: {
          if (track) {
            yield { kind: 'track', track: track.info };
            track = undefined;
          }
          if (header.id === ids.simpleBlock) {
            yield { kind: 'block', body, discardPaddingNs: 0 };
          } else {
            const group = readBlockGroup(body);
            if (group) yield { kind: 'block', ...group };
          }
        }
      }
    } else if (header.id === ids.ebml) {
      // The EBML header: read its DocType child.
      offset = bodyStart;
      continue;
    }
    offset = bodyStart + header.size;
  }
  if (track) yield { kind: 'track', track: track.info };
}

export async function openWebmStream(file: ByteSource): Promise<AudioStream> {
  const source = readAheadByteSource(file);
  const events = webmEvents(source);
  let audioTrack: TrackInfo | undefined;
  const otherCodecs: string[] = [];
  for (;;) {
    const next = await events.next();
    if (next.done) break;
    const event = next.value;
    if (event.kind === 'docType' && event.value !== 'webm' && event.value !== 'matroska') {
      throw new VoiceVaultError('UnsupportedFormat', `EBML document type '${event.value.slice(0, 20)}' is not WebM or Matroska`);
    }
    if (event.kind === 'track') {
      if (event.track.codec === 'A_OPUS') {
        audioTrack = event.track;
        break;
      }
      if (event.track.type === 2 && event.track.codec) otherCodecs.push(event.track.codec);
    }
    if (event.kind === 'block') break;
  }
  await events.return(undefined);
  if (!audioTrack) {
    if (otherCodecs.length > 0) throw new VoiceVaultError('UnsupportedFormat', `WebM audio in ${otherCodecs[0]} is not supported; only Opus`);
    throw new VoiceVaultError('CorruptAudio', 'the WebM file has no Opus audio track');
  }
  if (!audioTrack.codecPrivate) throw new VoiceVaultError('CorruptAudio', 'the WebM Opus track has no OpusHead');
  const head: OpusHead = parseOpusHead(audioTrack.codecPrivate);
  const trackNumber = audioTrack.number ?? 1;
  return {
    format: 'webm-opus',
    sampleRate: opusSampleRate,
    channels: head.channels,
    async *chunks() {
      const decoder = await OpusPacketDecoder.create(head);
      try {
        for await (const event of webmEvents(source)) {
          if (event.kind !== 'block') continue;
          const frames = blockFrames(event.body, trackNumber);
          const discard = Math.round((Math.max(0, event.discardPaddingNs) * opusSampleRate) / 1e9);
          for (let i = 0; i < frames.length; i++) {
            const samples = decoder.decode(frames[i]!);
            // DiscardPadding trims the end of the block's last frame (the encoder's final padding).
            yield i === frames.length - 1 && discard > 0 ? samples.subarray(0, Math.max(0, samples.length - discard)) : samples;
          }
        }
      } finally {
        decoder.free();
      }
    },
    close: () => source.close(),
  };
}
