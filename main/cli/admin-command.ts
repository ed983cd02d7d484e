// `voicevault admin …`: partitions, membership, the bucket lifecycle, revoke and erase, the access review.
// Each verb checks its arguments first; only then does it sign in, as a member of the admins group (the
// group is checked here too, since the emulator enforces no IAM), and its tokens are revoked at the end.
import { contractorErase, contractorRevoke } from './admin/contractor-verbs';
import { lifecycleApply, lifecycleShow } from './admin/lifecycle-verbs';
import { partitionAssign, partitionCreate, partitionList, partitionPrompts, partitionShow, partitionUnassign, partitionUpdate } from './admin/partition-verbs';
import { accessReviewVerb, alarmsVerb, requestsVerb } from './admin/review-verbs';
import type { AdminService } from '../admin';
import { errorLine, openAdmin, signInOptions, UsageError, type AdminVerb, type Values } from './admin/verb';
import { parseCommandArgs, usageError, type CliCommand } from './command';

const verbs: AdminVerb[] = [
  partitionCreate,
  partitionUpdate,
  partitionList,
  partitionShow,
  partitionAssign,
  partitionUnassign,
  partitionPrompts,
  lifecycleApply,
  lifecycleShow,
  contractorRevoke,
  contractorErase,
  accessReviewVerb,
  alarmsVerb,
  requestsVerb,
];

const overview = ['usage: voicevault admin <command> [options]   (voicevault admin <command> --help for its options)', '', ...verbs.map((v) => `  ${v.name.padEnd(20)} ${v.summary}`)].join('\n');

function findVerb(args: string[]): { verb: AdminVerb; rest: string[] } | undefined {
  for (const verb of verbs) {
    const words = verb.name.split(' ');
    if (words.every((w, i) => args[i] === w)) return { verb, rest: args.slice(words.length) };
  }
  return undefined;
}

export const adminCommand: CliCommand = async (args, io) => {
  if (args.length === 0 || args[0] === '--help' || args[0] === '-h') {
    io[args.length === 0 ? 'stderr' : 'stdout'](overview);
    return args.length === 0 ? 2 : 0;
  }
  const found = findVerb(args);
  if (!found) {
    return usageError(io, 'admin', `unknown command '${args.filter((a) => !a.startsWith('-')).slice(0, 2).join(' ')}'`, overview);
  }
  const { verb, rest } = found;
  const command = `admin ${verb.name}`;
  const parsed = parseCommandArgs(command, verb.usage, rest, { ...signInOptions, ...verb.options }, io);
  if (typeof parsed === 'number') return parsed;
  const values = parsed.values as Values;
  let opened: Awaited<ReturnType<typeof openAdmin>> | undefined;
  const admin = async (): Promise<AdminService> => {
    opened ??= await openAdmin(io, values);
    return opened.service;
  };
  try {
    return await verb.run({ io, values, positionals: parsed.positionals, admin });
  } catch (error) {
    if (error instanceof UsageError) return usageError(io, command, error.message, verb.usage);
    io.stderr(errorLine(command, error));
    return 1;
  } finally {
    await opened?.close();
  }
};
