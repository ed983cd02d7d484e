// cdk-nag over the stack: unacknowledged errors/warnings, and what the acknowledgements hide.
import { runNag, type NagFinding } from '../lib/nag-packs';
import type { NagAcknowledgement } from '../lib/nag';
import { synthesize } from '../lib/synth';

export interface NagReport {
  errors: NagFinding[];
  warnings: NagFinding[];
  acknowledgements: NagAcknowledgement[];
  /** Findings that the acknowledgements hide (a run without them, minus a run with them). */
  acknowledged: NagFinding[];
  /** Acknowledgements that match no finding (stale). */
  unused: NagAcknowledgement[];
}

const key = (f: { path: string; rule: string }): string => `${f.path}|${f.rule}`;

export function runNagReport(): NagReport {
  const withAcks = synthesize();
  const without = synthesize({ skipNagAcknowledgements: true });
  const found = runNag(withAcks.stack);
  const all = runNag(without.stack);
  const remaining = new Set(found.map(key));
  const acknowledged = all.filter((f) => !remaining.has(key(f)));
  const hidden = new Set(acknowledged.map((f) => `${f.path.replace(/\/Resource$/, '')}|${f.rule}`));
  const unused = withAcks.stack.nagAcknowledgements.filter((a) => !hidden.has(`${a.path.replace(/\/Resource$/, '')}|${a.id}`));
  return {
    errors: found.filter((f) => f.severity === 'error'),
    warnings: found.filter((f) => f.severity === 'warning'),
    acknowledgements: withAcks.stack.nagAcknowledgements,
    acknowledged,
    unused,
  };
}
