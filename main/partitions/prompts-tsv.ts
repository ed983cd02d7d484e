// A prompt script as admins keep it in a spreadsheet: one `<id>\t<text>` line per prompt, in order,
// optionally under an `id\ttext` header. csv-parse reads it (tabs, no quoting, so a quote in a
// prompt is just a quote); this file only says, line by line, what is wrong.
import { parse } from 'csv-parse/sync';
import { VoiceVaultError } from '../../shared/errors';
import { partitionLimits, promptSchema, type Prompt } from '../../shared/partition';

interface Row {
  record: string[];
  info: { lines: number };
}

/** The prompts of a TSV, or InvalidPartition naming every bad line (and nothing is changed). */
export function parsePromptsTsv(text: string): Prompt[] {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > partitionLimits.maxPromptTsvBytes) {
    throw new VoiceVaultError('InvalidPartition', `The prompt file is ${bytes} bytes; at most ${partitionLimits.maxPromptTsvBytes} bytes (1 MiB) are accepted.`);
  }
  let rows: Row[];
  try {
    rows = parse(text, { delimiter: '\t', quote: false, bom: true, skip_empty_lines: true, relax_column_count: true, info: true }) as unknown as Row[];
  } catch (error) {
    throw new VoiceVaultError('InvalidPartition', `The prompt file could not be read as TSV: ${(error as Error).message}.`, { cause: error });
  }
  const first = rows[0]?.record;
  if (first && first[0]?.trim().toLowerCase() === 'id' && first[1]?.trim().toLowerCase() === 'text') rows = rows.slice(1);

  const problems: string[] = [];
  const prompts: Prompt[] = [];
  const lineOf = new Map<string, number>();
  for (const { record, info } of rows) {
    const line = info.lines;
    if (record.length !== 2) {
      problems.push(`line ${line}: expected <id><TAB><text>, found ${record.length} field${record.length === 1 ? '' : 's'}`);
      continue;
    }
    const prompt = { id: record[0]!.trim(), text: record[1]!.trim() };
    const parsed = promptSchema.safeParse(prompt);
    if (!parsed.success) {
      problems.push(`line ${line}: ${parsed.error.issues.map((i) => i.message).join('; ')}${prompt.id ? ` (id ${JSON.stringify(prompt.id)})` : ''}`);
      continue;
    }
    const earlier = lineOf.get(prompt.id);
    if (earlier !== undefined) {
      problems.push(`line ${line}: prompt id "${prompt.id}" is already used on line ${earlier}`);
      continue;
    }
    lineOf.set(prompt.id, line);
    prompts.push(parsed.data);
  }
  if (prompts.length === 0 && problems.length === 0) problems.push('the file holds no prompts');
  if (prompts.length > partitionLimits.maxPrompts) problems.push(`the file holds ${prompts.length} prompts; a partition holds at most ${partitionLimits.maxPrompts}`);
  if (problems.length > 0) {
    const shown = problems.slice(0, 20);
    if (problems.length > shown.length) shown.push(`… and ${problems.length - shown.length} more`);
    throw new VoiceVaultError('InvalidPartition', `The prompt file has problems:\n  ${shown.join('\n  ')}`);
  }
  return prompts;
}
