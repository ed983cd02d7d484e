// Plays a take back from the PCM the renderer holds (no file, no blob URL).
export interface Playback {
  readonly done: Promise<void>;
  stop(): void;
}

export function playPcm(chunks: Float32Array[], sampleRate: number): Playback {
  const frames = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const context = new AudioContext({ sampleRate });
  const buffer = context.createBuffer(1, Math.max(1, frames), sampleRate);
  const channel = buffer.getChannelData(0);
  let offset = 0;
  for (const chunk of chunks) {
    channel.set(chunk, offset);
    offset += chunk.length;
  }
  const source = context.createBufferSource();
  source.buffer = buffer;
  source.connect(context.destination);
  let started = false;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    finish = () => {
      channel.fill(0);
      void context.close().catch(() => undefined).finally(resolve);
    };
  });
  source.onended = () => finish();
  void context.resume().then(() => {
    source.start();
    started = true;
  });
  return {
    done,
    stop: () => (started ? source.stop() : finish()),
  };
}
