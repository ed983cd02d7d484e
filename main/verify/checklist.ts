// The Electron security checklist (20 items), counted from the test run. Which item a test proves is
// read from its name, by one convention:
// - in main/electron/checklist.test.ts, a title that starts with item numbers ("7. …", "11–12. …",
//   "2–4, 6, 8–10: …") names them; a test's own numbers win over its describe's;
// - anywhere, a title containing "checklist item 20" (or "checklist items 3, 4") names those items.
// An item counts as passed when at least one test names it and every test that names it passed.
import type { TestRecord, TestRun } from './test-reports';

export const checklistItems = 20;
export const checklistFile = 'main/electron/checklist.test.ts';

const leadingNumbers = /^(\d+(?:\s*[–-]\s*\d+)?(?:\s*,\s*\d+(?:\s*[–-]\s*\d+)?)*)\s*[.:](?:\s|$)/;
const namedItems = /checklist items? (\d+(?:\s*[–-]\s*\d+)?(?:\s*(?:,|and)\s*\d+(?:\s*[–-]\s*\d+)?)*)/i;

/** "2–4, 6, 8–10" → [2, 3, 4, 6, 8, 9, 10]. */
export function expandItemList(list: string): number[] {
  const out: number[] = [];
  for (const part of list.split(/\s*(?:,|and)\s*/)) {
    const [from, to] = part.split(/\s*[–-]\s*/).map(Number);
    if (from === undefined || Number.isNaN(from)) continue;
    for (let n = from; n <= (to ?? from); n++) out.push(n);
  }
  return out.filter((n) => n >= 1 && n <= checklistItems);
}

/** The checklist items a test names, by the convention above (empty when it names none). */
export function itemsOf(test: Pick<TestRecord, 'file' | 'titlePath'>): number[] {
  for (let i = test.titlePath.length - 1; i >= 0; i--) {
    const title = test.titlePath[i]!;
    const named = namedItems.exec(title);
    if (named) return expandItemList(named[1]!);
    const leading = test.file === checklistFile ? leadingNumbers.exec(title) : null;
    if (leading) return expandItemList(leading[1]!);
  }
  return [];
}

export interface ChecklistResult {
  passed: number;
  total: number;
  /** Items with no test in the run, or with a test that did not pass, each with the reason. */
  problems: string[];
}

export function checklistFromRun(run: TestRun): ChecklistResult {
  const byItem = new Map<number, TestRecord[]>();
  for (const test of run.tests) for (const item of itemsOf(test)) byItem.set(item, [...(byItem.get(item) ?? []), test]);
  const problems: string[] = [];
  let passed = 0;
  for (let item = 1; item <= checklistItems; item++) {
    const tests = byItem.get(item) ?? [];
    const notPassed = tests.filter((t) => t.status !== 'passed');
    if (tests.length === 0) problems.push(`checklist item ${item}: no test in the run names it`);
    else if (notPassed.length > 0) problems.push(`checklist item ${item}: ${notPassed.length} of ${tests.length} tests ${notPassed.map((t) => t.status).join('/')} (${notPassed[0]!.titlePath.at(-1)})`);
    else passed += 1;
  }
  return { passed, total: checklistItems, problems };
}
