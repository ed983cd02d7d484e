// `voicevault admin partition create|update|list|show|assign|unassign|prompts`
import Table from 'cli-table3';
import { defaultRequirements } from '../../../shared/partition';
import type { SavedPartition } from '../../admin';
import { validPartition } from '../../partitions';
import { partitionChanges, partitionOptions, partitionUsage, readPromptFile } from './partition-input';
import { exactlyPositionals, signInUsage, text, UsageError, type AdminVerb } from './verb';

const table = (head: string[]) => new Table({ head, style: { head: [], border: [] } });

function savedLines(saved: SavedPartition, verb: string): string[] {
  const p = saved.partition;
  const raw = p.keepRaw ? `raw audio kept: Glacier after ${p.rawGlacierDays} days, deleted after ${p.rawExpireDays}` : 'no raw audio kept';
  return [
    `${verb} partition ${p.id} (${p.name}): ${p.prompts.length} prompts, consent version ${p.consent.version}, tier ${p.featureTier}, ${raw}.`,
    saved.lifecycle.applied
      ? `Bucket lifecycle: every partition's rule in place (${saved.lifecycle.writes === 0 ? 'nothing to change' : `${saved.lifecycle.writes} write${saved.lifecycle.writes === 1 ? '' : 's'}`}).`
      : `Bucket lifecycle NOT updated: ${saved.lifecycle.problem}`,
  ];
}

export const partitionCreate: AdminVerb = {
  name: 'partition create',
  summary: 'create a partition (prompts from a TSV) and its lifecycle rule',
  usage: `usage: voicevault admin partition create --id <id> --name <text> --prompts <file.tsv> --consent-version <v> --consent-file <file.txt> [options]
${partitionUsage}
${signInUsage}`,
  options: partitionOptions,
  async run({ io, values, positionals, admin }) {
    exactlyPositionals({ positionals }, []);
    const change = await partitionChanges(values);
    const partition = validPartition(change({ requirements: defaultRequirements }));
    const saved = await (await admin()).createPartition(partition);
    io.stdout(values.json ? JSON.stringify(saved) : savedLines(saved, 'Created').join('\n'));
    return saved.lifecycle.applied ? 0 : 1;
  },
};

export const partitionUpdate: AdminVerb = {
  name: 'partition update',
  summary: 'change a partition (re-applied if another admin saved meanwhile)',
  usage: `usage: voicevault admin partition update <id> [options]
${partitionUsage}
${signInUsage}`,
  options: partitionOptions,
  async run({ io, values, positionals, admin }) {
    const [id] = exactlyPositionals({ positionals }, ['id']);
    if (text(values, 'id') !== undefined && text(values, 'id') !== id) throw new UsageError(`a partition's id cannot change (${id} → ${text(values, 'id')}); create a new partition instead`);
    const change = await partitionChanges(values);
    const saved = await (await admin()).updatePartition(id!, (current) => change(current as unknown as Record<string, unknown>));
    if (!saved.changed) io.stdout(values.json ? JSON.stringify(saved) : `Partition ${id} already says that; nothing was changed.`);
    else io.stdout(values.json ? JSON.stringify(saved) : savedLines(saved, 'Updated').join('\n'));
    return saved.lifecycle.applied ? 0 : 1;
  },
};

export const partitionList: AdminVerb = {
  name: 'partition list',
  summary: 'every partition with its status (from keys and sizes, never decrypted)',
  usage: `usage: voicevault admin partition list\n${signInUsage}`,
  options: {},
  async run({ io, values, positionals, admin }) {
    exactlyPositionals({ positionals }, []);
    const partitions = await (await admin()).listPartitions();
    if (values.json) {
      io.stdout(JSON.stringify({ partitions }));
      return 0;
    }
    const t = table(['id', 'name', 'tier', 'raw', 'contractors', 'samples', 'bytes', 'last upload']);
    for (const p of partitions) t.push([p.id, p.name, p.featureTier, p.keepRaw ? 'kept' : 'no', String(p.status.contractors), String(p.status.samples), String(p.status.bytes), p.status.lastUpload ?? 'never']);
    io.stdout(t.toString());
    return 0;
  },
};

export const partitionShow: AdminVerb = {
  name: 'partition show',
  summary: 'a partition: configuration, members, lifecycle rule, what its contractors may do',
  usage: `usage: voicevault admin partition show <id>\n${signInUsage}`,
  options: {},
  async run({ io, values, positionals, admin }) {
    const [id] = exactlyPositionals({ positionals }, ['id']);
    const detail = await (await admin()).getPartition(id!);
    if (values.json) {
      io.stdout(JSON.stringify(detail));
      return 0;
    }
    io.stdout(
      [
        JSON.stringify(detail.partition, null, 2),
        `members: ${detail.members.join(', ') || 'none'}`,
        `lifecycle: ${detail.lifecycleRule?.summary ?? 'no rule yet (run voicevault admin lifecycle apply)'}`,
        'a contractor of this partition may:',
        ...detail.rolePreview.allowed.map((l) => `  + ${l}`),
        'and may not:',
        ...detail.rolePreview.denied.map((l) => `  - ${l}`),
      ].join('\n'),
    );
    return 0;
  },
};

export const partitionAssign: AdminVerb = {
  name: 'partition assign',
  summary: 'put a contractor in a partition (custom:partition; a move signs them out everywhere)',
  usage: `usage: voicevault admin partition assign <username> <partition>\n${signInUsage}`,
  options: {},
  async run({ io, values, positionals, admin }) {
    const [username, partition] = exactlyPositionals({ positionals }, ['username', 'partition']);
    const change = await (await admin()).assign(username!, partition!);
    const words =
      change.previous === partition
        ? `${username} already belongs to ${partition}; nothing was changed.`
        : `${username} now belongs to ${partition}${change.previous ? ` (was ${change.previous}; signed out everywhere)` : ''}. It applies at their next sign-in.`;
    io.stdout(values.json ? JSON.stringify(change) : words);
    return 0;
  },
};

export const partitionUnassign: AdminVerb = {
  name: 'partition unassign',
  summary: 'take a contractor out of their partition (and sign them out everywhere)',
  usage: `usage: voicevault admin partition unassign <username>\n${signInUsage}`,
  options: {},
  async run({ io, values, positionals, admin }) {
    const [username] = exactlyPositionals({ positionals }, ['username']);
    const change = await (await admin()).unassign(username!);
    io.stdout(values.json ? JSON.stringify(change) : change.previous ? `${username} no longer belongs to ${change.previous} and was signed out everywhere.` : `${username} belongs to no partition; nothing was changed.`);
    return 0;
  },
};

export const partitionPrompts: AdminVerb = {
  name: 'partition prompts',
  summary: "print a partition's prompts as TSV, or replace them with --import <file.tsv>",
  usage: `usage: voicevault admin partition prompts <id> [--import <file.tsv>]\n${signInUsage}`,
  options: { import: { type: 'string' } },
  async run({ io, values, positionals, admin }) {
    const [id] = exactlyPositionals({ positionals }, ['id']);
    const file = text(values, 'import');
    if (!file) {
      const { partition } = await (await admin()).getPartition(id!);
      io.stdout(values.json ? JSON.stringify({ prompts: partition.prompts }) : partition.prompts.map((p) => `${p.id}\t${p.text}`).join('\n'));
      return 0;
    }
    const prompts = await readPromptFile(file);
    const saved = await (await admin()).updatePartition(id!, (current) => ({ ...current, prompts }));
    io.stdout(values.json ? JSON.stringify(saved) : saved.changed ? `Partition ${id} now has ${prompts.length} prompts.` : `Partition ${id} already has exactly these prompts.`);
    return 0;
  },
};
