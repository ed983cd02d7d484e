// Progress of a batch, one line per file: cli-progress bars on a terminal; elsewhere (logs, CI, pipes) a
// plain line each time a file changes stage, since bars cannot redraw there (cli-progress then printed
// its template with the file name missing).
import { MultiBar, Presets } from 'cli-progress';
import type { CliIo } from './command';

export interface FileProgress {
  /** percent 0–100 of the current stage; stage in a few words ("sealed", "uploading"). */
  update(percent: number, stage: string): void;
}

export interface BatchProgress {
  track(file: string, stage: string): FileProgress;
  stop(): void;
}

export function batchProgress(io: CliIo): BatchProgress {
  if (io.stderrIsTerminal === true) {
    const bars = new MultiBar({ format: ' {bar} {percentage}% | {file} | {stage}', hideCursor: true, clearOnComplete: false }, Presets.shades_classic);
    return {
      track: (file, stage) => {
        const bar = bars.create(100, 0, { file, stage });
        return { update: (percent, next) => bar.update(percent, { stage: next }) };
      },
      stop: () => bars.stop(),
    };
  }
  return {
    track: (file, stage) => {
      let last = stage;
      io.stderr(`${file}: ${stage}`);
      return {
        update: (_percent, next) => {
          if (next === last) return;
          last = next;
          io.stderr(`${file}: ${next}`);
        },
      };
    },
    stop: () => undefined,
  };
}
