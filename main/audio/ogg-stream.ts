// Placeholder until the ogg decoder lands.
import { VoiceVaultError } from '../../shared/errors';
import type { AudioStream } from './audio-stream';
import type { ByteSource } from './byte-source';

export async function openOggStream(_source: ByteSource): Promise<AudioStream> {
  throw new VoiceVaultError('UnsupportedFormat', 'ogg decoding is not available yet');
}
