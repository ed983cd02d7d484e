// Placeholder until the webm decoder lands.
import { VoiceVaultError } from '../../shared/errors';
import type { AudioStream } from './audio-stream';
import type { ByteSource } from './byte-source';

export async function openWebmStream(_source: ByteSource): Promise<AudioStream> {
  throw new VoiceVaultError('UnsupportedFormat', 'webm decoding is not available yet');
}
