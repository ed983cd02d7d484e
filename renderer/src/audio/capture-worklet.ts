// The capture AudioWorklet: mixes the microphone to mono and posts Float32Array chunks of
// `chunkFrames` frames (4096: about 85–93 ms at 48/44.1 kHz, and a power of two for meyda) to the
// page, transferring each buffer. Built by Vite as its own file (`?worker&url`), so it loads from
// 'self' under the strict CSP, with no blob: URL.

// The AudioWorkletGlobalScope is not in TypeScript's DOM library; these are the parts used here.
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare function registerProcessor(name: string, processor: new () => AudioWorkletProcessor): void;

export const chunkFrames = 4096;

class CaptureProcessor extends AudioWorkletProcessor {
  private chunk = new Float32Array(chunkFrames);
  private filled = 0;

  process(inputs: Float32Array[][]): boolean {
    const channels = inputs[0];
    if (!channels || channels.length === 0) return true;
    const frames = channels[0]!.length;
    for (let i = 0; i < frames; i++) {
      let sum = 0;
      for (const channel of channels) sum += channel[i] ?? 0;
      this.chunk[this.filled++] = sum / channels.length;
      if (this.filled === chunkFrames) {
        this.port.postMessage(this.chunk, [this.chunk.buffer]);
        this.chunk = new Float32Array(chunkFrames);
        this.filled = 0;
      }
    }
    return true;
  }
}

registerProcessor('voicevault-capture', CaptureProcessor);
