// Bad inputs and faults, counted from the test run.
// - Bad inputs: every file of the malformed-audio corpus (main/audio/hostile.test.ts, one test per file,
//   titled "<name> → <code>") plus every generated case of the fuzz tests (main/audio/fuzz.test.ts, whose
//   titles carry their run counts, e.g. "survives 6,000 generated RIFF/WAVE structures"). A failed test
//   is a crash: a corpus file that crashed, or at least one fuzz case that did.
// - Faults: the fault tests named below, one fault scenario each, except the SIGKILL tests, which count
//   the kills they print. A fault is survived when its test passed.
// - Samples lost and duplicates: the tests that assert "each exactly once, nothing lost" must have passed;
//   the counts themselves are measured on the bucket of verify's own demo run (bucket-evidence.ts).
import { findTest, testName, type TestRecord, type TestRun } from './test-reports';

export interface Counted {
  value: number | null;
  /** Why the value is null, or what made a must-be-zero figure non-zero. */
  problems: string[];
}

const hostileFile = 'main/audio/hostile.test.ts';
const fuzzFile = 'main/audio/fuzz.test.ts';

/** "survives 6,000 generated …" → 6000; the first number in the title. */
export function runsInTitle(title: string): number | undefined {
  const match = /(\d{1,3}(?:,\d{3})+|\d+)/.exec(title);
  return match ? Number(match[1]!.replace(/,/g, '')) : undefined;
}

export function badInputs(run: TestRun): { tried: Counted; crashes: Counted } {
  const corpus = run.tests.filter((t) => t.file === hostileFile && / → /.test(t.titlePath.at(-1)!));
  const fuzz = run.tests.filter((t) => t.file === fuzzFile);
  const problems: string[] = [];
  if (corpus.length === 0) problems.push(`no malformed-audio corpus tests (${hostileFile}, titled "<file> → <code>") in the run`);
  if (fuzz.length === 0) problems.push(`no fuzz tests (${fuzzFile}) in the run`);
  let tried = corpus.filter((t) => t.status !== 'skipped').length;
  for (const test of fuzz) {
    const runs = runsInTitle(test.titlePath.at(-1)!);
    if (runs === undefined) problems.push(`fuzz test without a run count in its title: ${testName(test)}`);
    else if (test.status !== 'skipped') tried += runs;
  }
  const skipped = [...corpus, ...fuzz].filter((t) => t.status === 'skipped');
  if (skipped.length > 0) problems.push(`${skipped.length} bad-input tests skipped (${testName(skipped[0]!)})`);
  const crashed = [...corpus, ...fuzz].filter((t) => t.status === 'failed');
  const crashProblems = crashed.map((t) => `crashed: ${testName(t)}`);
  const unknown = problems.length > 0;
  return {
    tried: { value: unknown ? null : tried, problems },
    crashes: { value: unknown ? null : crashed.length, problems: unknown ? problems : crashProblems },
  };
}

export interface FaultTest {
  kind: string;
  name: string;
  /** How many faults the test injects: 1, or read from what it printed (SIGKILLs). */
  count: (test: TestRecord) => number | undefined;
}

const one = (): number => 1;
/** "killed-batch: seed 42, SIGKILLs at 120, 480, 910 ms, then completed" → 3. */
export function killsPrinted(test: TestRecord): number | undefined {
  for (const line of test.console) {
    const batch = /SIGKILLs at ([\d, ]+) ms/.exec(line);
    if (batch) return batch[1]!.split(',').filter((s) => s.trim() !== '').length;
    const outbox = /of (\d+) kills/.exec(line);
    if (outbox) return Number(outbox[1]);
  }
  return undefined;
}

const faults = 'main/upload/faults.test.ts › uploads through a faulty network › ';
export const faultTests: readonly FaultTest[] = [
  { kind: 'dropped connections', name: `${faults}survive dropped connections, in a single put and in a part`, count: one },
  { kind: 'HTTP 500s', name: `${faults}retries HTTP 500s and 409 conflicts with growing, jittered pauses`, count: one },
  { kind: 'network gone', name: `${faults}waits for the network when S3 cannot be reached, and goes on when it is back`, count: one },
  { kind: 'stall', name: `${faults}restarts a part that stalls mid-upload (watchdog) and stores the whole object`, count: one },
  { kind: 'restart mid-multipart', name: `${faults}resumes a multipart upload from the outbox in a new uploader, sending only the missing parts`, count: one },
  { kind: 'lost answer', name: `${faults}counts a 412 on a retried put as done when S3 holds our bytes (the first answer was lost)`, count: one },
  { kind: 'restart after send', name: `${faults}counts a 412 as done after a restart when the earlier process had sent the object`, count: one },
  { kind: 'lost completion', name: `${faults}finishes a multipart upload whose completion answer was lost`, count: one },
  {
    kind: 'credentials expiry',
    name: 'main/upload/credentials.test.ts › credentials expiring mid-batch › are refreshed through onCredentialsExpired and the batch completes, each object once',
    count: one,
  },
  {
    kind: 'credentials expiry without refresh',
    name: 'main/upload/credentials.test.ts › credentials expiring mid-batch › without a way to refresh them, the rest of the batch waits for the next sign-in, nothing lost',
    count: one,
  },
  {
    kind: 'KMS outage',
    name: 'main/pipeline/journey.test.ts › the sealed pipeline end to end › seals under the device key while KMS is unreachable, then re-seals and uploads when it is back',
    count: one,
  },
  {
    kind: 'SIGKILL (batch ingest)',
    name: 'main/pipeline/killed-batch.test.ts › a batch ingest killed at random points › ends with every sample in the bucket exactly once, one version each, hashes equal to the receipts',
    count: killsPrinted,
  },
  {
    kind: 'SIGKILL (outbox writer)',
    name: 'main/outbox/kill.test.ts › an outbox whose writer is killed at random instants › holds every sample it acknowledged, each whole, and nothing half-written',
    count: killsPrinted,
  },
  { kind: 'offline in the app', name: 'e2e/offline.spec.ts › a sample made offline waits sealed in the outbox and uploads when the network returns', count: one },
];

export function faultsFromRun(run: TestRun, catalogue: readonly FaultTest[] = faultTests): { tried: Counted; survived: Counted; kinds: string[] } {
  const problems: string[] = [];
  let tried = 0;
  let survived = 0;
  for (const fault of catalogue) {
    const test = findTest(run, fault.name);
    if (!test) {
      problems.push(`${fault.kind}: test not in the run (${fault.name})`);
      continue;
    }
    if (test.status === 'skipped') {
      problems.push(`${fault.kind}: test skipped (${fault.name})`);
      continue;
    }
    const count = fault.count(test);
    if (count === undefined) {
      // A kill test that failed early may print nothing: one fault tried, none survived.
      if (test.status === 'failed') tried += 1;
      else problems.push(`${fault.kind}: the test passed but did not print how many faults it injected (${fault.name})`);
      continue;
    }
    tried += count;
    if (test.status === 'passed') survived += count;
  }
  const unknown = problems.length > 0;
  return {
    tried: { value: unknown ? null : tried, problems },
    survived: { value: unknown ? null : survived, problems },
    kinds: [...new Set(catalogue.map((f) => f.kind))],
  };
}

/** The tests whose assertions are "every sample exactly once": if one failed, losses and duplicates are unknown. */
export const exactlyOnceTests: readonly string[] = [
  'main/pipeline/killed-batch.test.ts › a batch ingest killed at random points › ends with every sample in the bucket exactly once, one version each, hashes equal to the receipts',
  'main/upload/uploader.test.ts › the uploader › uploads a batch several entries at a time, each exactly once',
  'main/upload/credentials.test.ts › credentials expiring mid-batch › are refreshed through onCredentialsExpired and the batch completes, each object once',
  'main/outbox/kill.test.ts › an outbox whose writer is killed at random instants › holds every sample it acknowledged, each whole, and nothing half-written',
];

/** Reasons the exactly-once tests do not back the measured counts (empty when all passed). */
export function exactlyOnceProblems(run: TestRun, names: readonly string[] = exactlyOnceTests): string[] {
  return names.flatMap((name) => {
    const test = findTest(run, name);
    if (!test) return [`exactly-once test not in the run: ${name}`];
    return test.status === 'passed' ? [] : [`exactly-once test ${test.status}: ${name}`];
  });
}
