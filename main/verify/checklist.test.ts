import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checklistFromRun, expandItemList, itemsOf } from './checklist';
import { parseVitestReport, type TestRecord } from './test-reports';

// A real Vitest report of main/electron/checklist.test.ts and preload/preload.test.ts, all passing.
const realRun = (): TestRecord[] => parseVitestReport(JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'checklist-run.json'), 'utf8')), '/repo');

describe('the Electron checklist read from test names', () => {
  it('expands item lists and ranges, en dash or hyphen, and ignores numbers outside 1–20', () => {
    expect(expandItemList('2–4, 6, 8–10')).toEqual([2, 3, 4, 6, 8, 9, 10]);
    expect(expandItemList('11-12')).toEqual([11, 12]);
    expect(expandItemList('3 and 21')).toEqual([3]);
  });

  it("takes a test's own numbers over its describe's, and 'checklist item N' anywhere", () => {
    const file = 'main/electron/checklist.test.ts';
    expect(itemsOf({ file, titlePath: ['2–4, 6, 8–10: the window preferences start() uses', '3. context isolation is on'] })).toEqual([3]);
    expect(itemsOf({ file, titlePath: ['2–4, 6, 8–10: the window preferences start() uses', 'uses the bundled preload from the app folder'] })).toEqual([2, 3, 4, 6, 8, 9, 10]);
    expect(itemsOf({ file, titlePath: ['also', 'never starts the crash reporter (dumps could hold audio)'] })).toEqual([]);
    expect(itemsOf({ file: 'preload/preload.test.ts', titlePath: ['preload bridge (checklist item 20: no Electron API reaches the renderer)', 'forwards only the request'] })).toEqual([20]);
    // Leading numbers count only in the checklist file: elsewhere "5. …" is not a claim about item 5.
    expect(itemsOf({ file: 'main/audio/wav.test.ts', titlePath: ['5. channels', 'reads five channels'] })).toEqual([]);
  });

  it('counts 20 of 20 on a run where every checklist test passed', () => {
    expect(checklistFromRun({ tests: realRun(), missing: [] })).toEqual({ passed: 20, total: 20, problems: [] });
  });

  it('does not count an item when one of its tests failed or was skipped, or when no test names it', () => {
    const tests = realRun().filter((t) => !t.titlePath[0]!.startsWith('preload bridge'));
    const sandbox = tests.find((t) => t.titlePath.at(-1)!.startsWith('4. the sandbox'))!;
    sandbox.status = 'failed';
    const fuses = tests.find((t) => t.titlePath[0]!.startsWith('19.'))!;
    fuses.status = 'skipped';
    const result = checklistFromRun({ tests, missing: [] });
    expect(result.passed).toBe(17);
    expect(result.problems).toEqual([
      'checklist item 4: 1 of 2 tests failed (4. the sandbox is on, for this window and app-wide)',
      expect.stringMatching(/^checklist item 19: 1 of 1 tests skipped/),
      'checklist item 20: no test in the run names it',
    ]);
  });

  it('counts nothing from an empty run', () => {
    expect(checklistFromRun({ tests: [], missing: ['no report'] })).toMatchObject({ passed: 0, total: 20 });
  });
});
