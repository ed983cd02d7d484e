// `voicevault features <audio-file> --preset <speech16k|librosa_default> [--tier frames|summary] [--out <file.json|file.safetensors>]`
// Decodes a file, reports its quality and computes stored features exactly as the training side does.
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { isVoiceVaultError } from '../../shared/errors';
import { defaultRequirements, featurePresets, type FeaturePreset } from '../../shared/partition';
import { checkQuality, type QualityReport } from '../audio/quality';
import {
  extractFeaturesFromFile,
  melFeaturesJsonPieces,
  melFeaturesToSafetensors,
  summaryToJson,
  summaryToSafetensors,
  type FeatureExtraction,
  type FrameFeatureExtraction,
} from '../features';
import { parseCommandArgs, usageError, type CliCommand, type CliIo } from './command';

const usage =
  'usage: voicevault features <audio-file> --preset <speech16k|librosa_default> [--tier frames|summary] [--out <path.json|path.safetensors>]';

interface FeaturesArgs {
  file: string;
  preset: FeaturePreset;
  tier: 'frames' | 'summary';
  out?: string;
}

function parse(args: string[], io: CliIo): FeaturesArgs | number {
  const parsed = parseCommandArgs('features', usage, args, { preset: { type: 'string' }, tier: { type: 'string', default: 'frames' }, out: { type: 'string' } }, io);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const problem = (text: string): number => usageError(io, 'features', text, usage);
  const [file, extra] = positionals;
  const { preset, tier, out } = values;
  if (extra !== undefined) return problem(`unexpected argument ${extra}`);
  if (!file) return problem('missing <audio-file>');
  if (!preset) return problem('missing --preset');
  if (!(featurePresets as readonly string[]).includes(preset)) return problem(`unknown preset '${preset}' (use ${featurePresets.join(' or ')})`);
  if (tier !== 'frames' && tier !== 'summary') return problem(`unknown tier '${tier}' (use frames or summary)`);
  if (out !== undefined && !/\.(json|safetensors)$/i.test(out)) return problem('--out must end in .json or .safetensors');
  return { file, preset: preset as FeaturePreset, tier, ...(out === undefined ? {} : { out }) };
}

const fmt = (value: number, digits = 1): string => value.toFixed(digits);

function describeQuality(report: QualityReport): string {
  return [
    `quality: peak ${fmt(report.peakDbfs)} dBFS, RMS ${fmt(report.rmsDbfs)} dBFS, speech ${fmt(report.speechDbfs)} dBFS,`,
    `  noise floor ${fmt(report.noiseFloorDbfs)} dBFS, SNR ${fmt(report.snrDb)} dB, clipped ${fmt(report.clippedPct, 3)}%,`,
    `  silence ${fmt(report.silencePct)}%, speech ratio ${fmt(report.speechRatio, 2)}`,
  ].join('\n');
}

function describeRun(file: string, result: FrameFeatureExtraction): string {
  const { source, features, quality } = result;
  const check = checkQuality(quality, defaultRequirements, source.sampleRate);
  return [
    `file: ${file} (${source.format}, ${source.sampleRate} Hz, ${source.channels} ch, ${fmt(quality.durationSeconds, 2)} s)`,
    `features: ${result.preset} at ${features.sampleRate} Hz, ${features.nFrames} frames × ${features.nMels} mels, ${features.nMfcc} MFCC`,
    describeQuality(quality),
    check.pass ? 'quality check (default requirements): pass' : `quality check (default requirements): fail\n${check.reasons.map((r) => `  - ${r}`).join('\n')}`,
  ].join('\n');
}

async function writeOutput(path: string, result: FrameFeatureExtraction | FeatureExtraction): Promise<void> {
  const { features, parameters } = result;
  const json = path.toLowerCase().endsWith('.json');
  if ('summary' in result) {
    const { summary } = result;
    const bytes = json
      ? `${JSON.stringify(summaryToJson(summary, parameters, features.sampleRate))}\n`
      : summaryToSafetensors(summary, parameters, features.sampleRate);
    await writeFile(path, bytes);
    return;
  }
  if (!json) {
    await writeFile(path, melFeaturesToSafetensors(features, parameters));
    return;
  }
  // Frame-level JSON of a long file is large: write it piece by piece.
  const stream = createWriteStream(path);
  const failed = once(stream, 'error').then(([error]) => Promise.reject(error as Error));
  for (const piece of melFeaturesJsonPieces(features, parameters)) {
    if (!stream.write(piece)) await Promise.race([once(stream, 'drain'), failed]);
  }
  stream.end();
  await Promise.race([once(stream, 'finish'), failed]);
}

function reportFailure(io: CliIo, file: string, error: unknown): number {
  if (isVoiceVaultError(error)) {
    io.stderr(`voicevault features: ${file}: ${error.message} (${error.code})`);
  } else {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    io.stderr(`voicevault features: ${file}: ${detail}`);
  }
  return 1;
}

export const featuresCommand: CliCommand = async (args, io) => {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(usage);
    return 0;
  }
  const parsed = parse(args, io);
  if (typeof parsed === 'number') return parsed;
  let result: FrameFeatureExtraction | FeatureExtraction;
  try {
    // The summary tier's descriptors cost about as much as the mel spectrogram: computed only when asked for.
    result =
      parsed.tier === 'summary' ? await extractFeaturesFromFile(parsed.file, parsed.preset) : await extractFeaturesFromFile(parsed.file, parsed.preset, { summary: false });
  } catch (error) {
    return reportFailure(io, parsed.file, error);
  }
  if (parsed.out === undefined) {
    io.stdout(describeRun(parsed.file, result));
    return 0;
  }
  try {
    await writeOutput(parsed.out, result);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    io.stderr(`voicevault features: ${parsed.out}: cannot write the output (${code ?? 'error'})`);
    return 1;
  }
  io.stdout(`wrote ${parsed.out}: ${result.preset}, ${parsed.tier === 'summary' ? 'summary' : `${result.features.nFrames} frames`}`);
  return 0;
};
