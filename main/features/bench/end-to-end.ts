// Child process of the benchmark: decode → quality → resample → features for one file, exactly what
// `voicevault features <file> --preset <preset>` computes (frame-level features, no summary tier), then report
// wall and CPU time and this process's peak RSS (measured here so the parent's memory does not count).
import { extractFeaturesFromFile } from '../extract';
import type { FeaturePreset } from '../../../shared/partition';

const [path, preset] = process.argv.slice(2);
if (!path || !preset) throw new Error('usage: end-to-end.ts <audio-file> <preset>');
const started = performance.now();
const cpuBefore = process.cpuUsage();
const result = await extractFeaturesFromFile(path, preset as FeaturePreset, { summary: false });
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
process.stdout.write(
  `${JSON.stringify({
    seconds,
    cpu_seconds: (cpu.user + cpu.system) / 1e6,
    audio_seconds: result.quality.durationSeconds,
    n_frames: result.features.nFrames,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
  })}\n`,
);
