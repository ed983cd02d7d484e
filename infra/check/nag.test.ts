import { beforeAll, describe, expect, it } from 'vitest';
import { runNagReport, type NagReport } from './nag';

let report: NagReport;
// Two syntheses (with and without acknowledgements): minutes on a loaded two-core machine.
beforeAll(() => {
  report = runNagReport();
}, 300_000);

describe('cdk-nag: AwsSolutions, NIST 800-53 rev 5, HIPAA Security', () => {
  it('reports no unacknowledged errors', () => {
    expect(report.errors.map((f) => `${f.rule} ${f.path}`)).toEqual([]);
  });
  it('reports no unacknowledged warnings either', () => {
    expect(report.warnings.map((f) => `${f.rule} ${f.path}`)).toEqual([]);
  });
  it('every acknowledgement carries a reason and hides a real finding (none stale)', () => {
    expect(report.acknowledgements.length).toBeGreaterThan(0);
    for (const a of report.acknowledgements) expect(a.reason.length, a.id).toBeGreaterThan(40);
    expect(report.unused.map((a) => `${a.id} ${a.path}`)).toEqual([]);
    expect(report.acknowledged).toHaveLength(report.acknowledgements.length);
  });
});
