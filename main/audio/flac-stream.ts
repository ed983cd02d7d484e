// Placeholder until the flac decoder lands.
import { VoiceVaultError } from '../../shared/errors';
import type { AudioStream } from './audio-stream';
import type { ByteSource } from './byte-source';

export async function openFlacStream(_source: ByteSource): Promise<AudioStream> {
  throw new VoiceVaultError('UnsupportedFormat', 'flac decoding is not available yet');
}
