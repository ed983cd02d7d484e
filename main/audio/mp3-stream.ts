// Placeholder until the mp3 decoder lands.
import { VoiceVaultError } from '../../shared/errors';
import type { AudioStream } from './audio-stream';
import type { ByteSource } from './byte-source';

export async function openMp3Stream(_source: ByteSource): Promise<AudioStream> {
  throw new VoiceVaultError('UnsupportedFormat', 'mp3 decoding is not available yet');
}
