// Entry point of the `voicevault` binary.
import { runCli } from './index';

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Commands turn their own failures into one plain line; this is the last resort.
    process.stderr.write(`voicevault: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
