// `voicevault admin lifecycle apply|show`
import Table from 'cli-table3';
import type { LifecycleRuleView } from '../../../shared/domain';
import { exactlyPositionals, signInUsage, type AdminVerb } from './verb';

function rulesTable(rules: LifecycleRuleView[]): string {
  const t = new Table({ head: ['rule', 'for', 'what it does'], style: { head: [], border: [] } });
  for (const r of rules) t.push([r.id, r.owner === 'partition' ? `partition ${r.partition}` : r.owner, r.summary]);
  return t.toString();
}

export const lifecycleApply: AdminVerb = {
  name: 'lifecycle apply',
  summary: "write the global rules and every partition's raw rule into the bucket lifecycle",
  usage: `usage: voicevault admin lifecycle apply
  Merges the global rules and one rule per partition into the bucket's lifecycle configuration, keeping
  rules it does not own, and reads it back until every rule is in place (another admin may be writing).
${signInUsage}`,
  options: {},
  async run({ io, values, positionals, admin }) {
    exactlyPositionals({ positionals }, []);
    const applied = await (await admin()).applyLifecycle();
    io.stdout(values.json ? JSON.stringify(applied) : `${applied.writes === 0 ? 'Every rule was already in place.' : `Lifecycle written (${applied.writes} write${applied.writes === 1 ? '' : 's'}) and read back:`}\n${rulesTable(applied.rules)}`);
    return 0;
  },
};

export const lifecycleShow: AdminVerb = {
  name: 'lifecycle show',
  summary: 'the bucket lifecycle rules as applied',
  usage: `usage: voicevault admin lifecycle show\n${signInUsage}`,
  options: {},
  async run({ io, values, positionals, admin }) {
    exactlyPositionals({ positionals }, []);
    const rules = await (await admin()).lifecycle();
    io.stdout(values.json ? JSON.stringify({ rules }) : rulesTable(rules));
    return 0;
  },
};
