// A Vitest reporter that keeps what each test printed (Vitest's JSON report does not), so that verify can
// read figures a test prints, such as the killed-batch test's SIGKILL instants. It writes one JSON file at
// the end of the run: [{ file, titlePath, lines }] for every test that printed something.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Reporter, TestModule, Vitest } from 'vitest/node';
import type { ConsoleEntry } from './test-reports';

interface PrintedLine {
  content: string;
  taskId?: string;
}

export default class EvidenceReporter implements Reporter {
  private readonly printed: PrintedLine[] = [];

  private outputFile: string;

  /** `outputFile` is relative to the project root unless absolute. */
  constructor(options: { outputFile: string }) {
    this.outputFile = options.outputFile;
  }

  onInit(vitest: Vitest): void {
    this.outputFile = resolve(vitest.config.root, this.outputFile);
  }

  onUserConsoleLog(log: PrintedLine): void {
    this.printed.push({ content: log.content, ...(log.taskId ? { taskId: log.taskId } : {}) });
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const names = new Map<string, Omit<ConsoleEntry, 'lines'>>();
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const titlePath: string[] = [];
        for (let parent = test.parent; parent.type === 'suite'; parent = parent.parent) titlePath.unshift(parent.name);
        names.set(test.id, { file: module.moduleId, titlePath: [...titlePath, test.name] });
      }
    }
    const entries = new Map<string, ConsoleEntry>();
    for (const line of this.printed) {
      const test = line.taskId ? names.get(line.taskId) : undefined;
      if (!test) continue; // printed by a hook or outside any test
      const entry = entries.get(line.taskId!) ?? { ...test, lines: [] };
      entry.lines.push(...line.content.replace(/\n$/, '').split('\n'));
      entries.set(line.taskId!, entry);
    }
    mkdirSync(dirname(this.outputFile), { recursive: true });
    writeFileSync(this.outputFile, `${JSON.stringify([...entries.values()], null, 1)}\n`);
  }
}
