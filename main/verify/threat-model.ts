// docs/THREAT_MODEL.md, read as data: each "### N. <threat>" section lists its tests as "- `file › … › title`"
// under "**Tests.**". A threat counts as covered when it names at least one test and every test it names
// is in the run's reports and passed.
import { findTest, type TestRun } from './test-reports';

export const threatModelPath = 'docs/THREAT_MODEL.md';

export interface Threat {
  title: string;
  tests: string[];
}

export function parseThreatModel(markdown: string): Threat[] {
  const threats: Threat[] = [];
  let current: Threat | undefined;
  let inTests = false;
  for (const line of markdown.split('\n')) {
    const heading = /^###\s+\d+\.\s+(.+?)\s*$/.exec(line);
    if (heading) {
      current = { title: heading[1]!, tests: [] };
      threats.push(current);
      inTests = false;
      continue;
    }
    if (/^#{1,3}\s/.test(line)) {
      current = undefined;
      continue;
    }
    if (!current) continue;
    if (/^\*\*[^*]+\.\*\*/.test(line)) inTests = line.startsWith('**Tests.**');
    const item = /^\s*[-*]\s+`([^`]+)`\s*$/.exec(line);
    if (inTests && item) current.tests.push(item[1]!);
  }
  return threats;
}

export interface ThreatCoverage {
  threats: number;
  covered: number;
  problems: string[];
}

export function threatCoverage(threats: readonly Threat[], run: TestRun): ThreatCoverage {
  const problems: string[] = [];
  let covered = 0;
  for (const threat of threats) {
    if (threat.tests.length === 0) {
      problems.push(`threat "${threat.title}" names no test`);
      continue;
    }
    const failing = threat.tests.flatMap((name) => {
      const test = findTest(run, name);
      if (!test) return [`not in the run: ${name}`];
      return test.status === 'passed' ? [] : [`${test.status}: ${name}`];
    });
    if (failing.length === 0) covered += 1;
    else problems.push(`threat "${threat.title}": ${failing.join('; ')}`);
  }
  return { threats: threats.length, covered, problems };
}
