// The microphone: getUserMedia with every "helpful" processing step off (echo cancellation, noise
// suppression and auto gain would change the voice the partition asked for), and the capture
// worklet posting mono chunks. The only place that opens Web Audio input.
import workletUrl from './capture-worklet.ts?worker&url';

export interface Microphone {
  readonly sampleRate: number;
  readonly deviceLabel: string;
  /** Receives every chunk (mono float32, 4096 frames). Returns an unsubscribe function. */
  onChunk(listener: (chunk: Float32Array) => void): () => void;
  close(): Promise<void>;
}

export const captureConstraints = (deviceId?: string): MediaStreamConstraints => ({
  audio: {
    ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
    echoCancellation: false,
    noiseSuppression: false,
    autoGainControl: false,
    channelCount: 1,
  },
  video: false,
});

export async function openMicrophone(deviceId?: string): Promise<Microphone> {
  const stream = await navigator.mediaDevices.getUserMedia(captureConstraints(deviceId));
  const context = new AudioContext({ latencyHint: 'interactive' });
  try {
    await context.audioWorklet.addModule(workletUrl);
    const source = context.createMediaStreamSource(stream);
    const node = new AudioWorkletNode(context, 'voicevault-capture', { numberOfInputs: 1, numberOfOutputs: 0 });
    source.connect(node);
    await context.resume();
    const listeners = new Set<(chunk: Float32Array) => void>();
    let closed = false;
    node.port.onmessage = (event: MessageEvent<Float32Array>) => {
      for (const listener of listeners) listener(event.data);
    };
    const track = stream.getAudioTracks()[0];
    return {
      sampleRate: context.sampleRate,
      deviceLabel: track?.label ?? 'Microphone',
      onChunk(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      async close() {
        // Sign-out and the screen that opened it may both close it.
        if (closed) return;
        closed = true;
        listeners.clear();
        node.port.onmessage = null;
        source.disconnect();
        for (const t of stream.getTracks()) t.stop();
        await context.close();
      },
    };
  } catch (error) {
    for (const t of stream.getTracks()) t.stop();
    await context.close();
    throw error;
  }
}

/** Audio inputs with their labels (labels appear once the microphone permission is granted). */
export async function listMicrophones(): Promise<{ deviceId: string; label: string }[]> {
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices
    .filter((device) => device.kind === 'audioinput')
    .map((device, index) => ({ deviceId: device.deviceId, label: device.label || `Microphone ${index + 1}` }));
}

/** Why the microphone could not be opened, as a sentence. */
export function microphoneProblem(error: unknown): string {
  const name = error instanceof DOMException ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'VoiceVault may not use the microphone. Allow microphone access for VoiceVault in your system settings.';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'No microphone was found. Plug one in and choose it from the list.';
  if (name === 'NotReadableError') return 'The microphone is busy or not working. Close other apps that use it and try again.';
  return 'The microphone could not be opened. Check that it is connected and try again.';
}
