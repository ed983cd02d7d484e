// Child process of memory.test.ts: decodes one file as a stream, keeping nothing, and reports the samples it
// saw and this process's peak RSS (measured here, so the test runner's own memory does not count).
import { openAudioFile } from './decode';

const [path] = process.argv.slice(2);
if (!path) throw new Error('usage: memory-probe.ts <audio-file>');
const stream = await openAudioFile(path);
let frames = 0;
let largestChunk = 0;
for await (const chunk of stream.chunks()) {
  frames += chunk.length;
  largestChunk = Math.max(largestChunk, chunk.length);
}
await stream.close();
process.stdout.write(`${JSON.stringify({ format: stream.format, frames, largestChunk, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
