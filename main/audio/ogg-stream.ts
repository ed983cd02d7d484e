// Ogg files: the first packet names the codec. Opus is decoded with opus-decoder, Vorbis with the libvorbis
// build in @wasm-audio-decoders/ogg-vorbis; anything else (FLAC-in-Ogg, Speex, Theora…) is unsupported.
import { VoiceVaultError } from '../../shared/errors';
import type { AudioStream } from './audio-stream';
import type { ByteSource } from './byte-source';
import { oggPackets, type OggPacket } from './ogg-demux';
import { OpusPacketDecoder, opusSampleRate, parseOpusHead } from './opus-packets';

function codecOf(first: Uint8Array): string {
  const text = (from: number, to: number): string => String.fromCharCode(...first.subarray(from, to));
  if (text(0, 8) === 'OpusHead') return 'opus';
  if (first[0] === 1 && text(1, 7) === 'vorbis') return 'vorbis';
  if (text(1, 5) === 'FLAC') return 'FLAC in Ogg';
  if (text(0, 8) === 'Speex   ') return 'Speex';
  if (text(1, 7) === 'theora') return 'Theora video';
  return 'an unknown codec';
}

/** Peeks the first packet without losing it. */
async function firstPacket(source: ByteSource): Promise<{ first: OggPacket; rest: AsyncGenerator<OggPacket> }> {
  const packets = oggPackets(source);
  const next = await packets.next();
  if (next.done) throw new VoiceVaultError('CorruptAudio', 'the Ogg stream has no packets');
  return { first: next.value, rest: packets };
}

export async function openOggStream(source: ByteSource): Promise<AudioStream> {
  const { first, rest } = await firstPacket(source);
  const codec = codecOf(first.data);
  if (codec === 'vorbis') return (await import('./vorbis-stream')).openVorbisStream(source, first, rest);
  if (codec !== 'opus') throw new VoiceVaultError('UnsupportedFormat', `Ogg with ${codec} is not supported; use Ogg Vorbis or Ogg Opus`);
  const head = parseOpusHead(first.data);
  return {
    format: 'ogg-opus',
    sampleRate: opusSampleRate,
    channels: head.channels,
    async *chunks() {
      const decoder = await OpusPacketDecoder.create(head);
      try {
        let sawTags = false;
        let emitted = 0;
        for await (const packet of rest) {
          if (!sawTags) {
            // The second packet is OpusTags (metadata), not audio.
            sawTags = true;
            continue;
          }
          let samples = decoder.decode(packet.data);
          if (packet.endOfStream && packet.granule >= 0n) {
            // The last page's granule position fixes the exact length (end trimming, RFC 7845 §4.5).
            const total = Number(packet.granule) - head.preSkip;
            samples = samples.subarray(0, Math.max(0, Math.min(samples.length, total - emitted)));
          }
          emitted += samples.length;
          yield samples;
        }
      } finally {
        decoder.free();
      }
    },
    close: () => source.close(),
  };
}
