// Global setup for Vitest and Playwright: every temporary file or folder a test run makes (os.tmpdir() in
// the tests, their child processes and moto) goes under one folder of the run, removed when the run ends,
// so runs do not pile up in /tmp. VOICEVAULT_KEEP_TMP=1 keeps it and says where (to look after a failure).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function useRunTmpdir(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'voicevault-tests-'));
  // Workers and the processes they start inherit this; os.tmpdir() reads it.
  process.env.TMPDIR = dir;
  return () => {
    if (process.env.VOICEVAULT_KEEP_TMP) console.log(`test files kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  };
}
