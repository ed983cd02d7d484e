// Recognises a container from its first bytes, so a file's name or extension never decides how it is parsed.
import { VoiceVaultError } from '../../shared/errors';

export type Container = 'wav' | 'flac' | 'mp3' | 'ogg' | 'matroska';

function ascii(bytes: Uint8Array, at: number, length: number): string {
  let text = '';
  for (let i = at; i < at + length && i < bytes.length; i++) text += String.fromCharCode(bytes[i]!);
  return text;
}

function unsupported(name: string): VoiceVaultError {
  return new VoiceVaultError('UnsupportedFormat', `${name} is not supported; use WAV, FLAC, MP3, Ogg (Vorbis or Opus) or WebM (Opus)`);
}

/** Size of an ID3v2 tag at the start, or 0. */
export function id3v2Size(head: Uint8Array): number {
  if (ascii(head, 0, 3) !== 'ID3' || head.length < 10) return 0;
  const size = ((head[6]! & 0x7f) << 21) | ((head[7]! & 0x7f) << 14) | ((head[8]! & 0x7f) << 7) | (head[9]! & 0x7f);
  const footer = (head[5]! & 0x10) !== 0 ? 10 : 0;
  return 10 + size + footer;
}

/** True when 4 bytes at `at` form a plausible MPEG-1/2/2.5 audio frame header. */
export function isMpegAudioHeader(bytes: Uint8Array, at: number): boolean {
  const b0 = bytes[at];
  const b1 = bytes[at + 1];
  const b2 = bytes[at + 2];
  if (b0 === undefined || b1 === undefined || b2 === undefined) return false;
  if (b0 !== 0xff || (b1 & 0xe0) !== 0xe0) return false;
  if (((b1 >> 3) & 3) === 1) return false; // reserved version
  if (((b1 >> 1) & 3) === 0) return false; // layer 0 is ADTS (AAC)
  if (b2 >> 4 === 0xf || ((b2 >> 2) & 3) === 3) return false; // bad bitrate or rate
  return true;
}

/** `head` is the first bytes of the file (at least 64 when the file has them). */
export function sniffContainer(head: Uint8Array): Container {
  if (head.length === 0) throw new VoiceVaultError('EmptyFile', 'the file is empty');
  const tag4 = ascii(head, 0, 4);
  if (tag4 === 'RIFF' || tag4 === 'RF64' || tag4 === 'RIFX') {
    const kind = ascii(head, 8, 4);
    if (kind === 'WAVE') return 'wav';
    if (kind === 'AVI ') throw unsupported('AVI video');
    throw unsupported(`a RIFF file of type '${kind.replace(/[^\x20-\x7e]/g, '?')}'`);
  }
  if (tag4 === 'fLaC') return 'flac';
  if (tag4 === 'OggS') return 'ogg';
  if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return 'matroska';
  if (ascii(head, 0, 3) === 'ID3') return 'mp3';
  if (isMpegAudioHeader(head, 0)) return 'mp3';
  if (head[0] === 0xff && head[1] !== undefined && (head[1] & 0xf6) === 0xf0) throw unsupported('AAC (ADTS)');
  if (ascii(head, 4, 4) === 'ftyp') throw unsupported('MP4/M4A (AAC or ALAC)');
  if (tag4 === 'FORM' && /^AIF[FC]$/.test(ascii(head, 8, 4))) throw unsupported('AIFF');
  if (tag4 === 'caff') throw unsupported('Core Audio (CAF)');
  if (ascii(head, 0, 5) === '#!AMR') throw unsupported('AMR');
  if (tag4 === '.snd') throw unsupported('Sun/NeXT audio (.au)');
  throw new VoiceVaultError('UnsupportedFormat', 'not a recognised audio file (expected WAV, FLAC, MP3, Ogg or WebM)');
}
