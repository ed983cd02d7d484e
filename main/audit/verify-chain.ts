// Checks an audit log line by line: each record's hash matches its content, names the previous line's
// hash, and counts on by one. Removing the last lines leaves a valid shorter chain; only the bucket
// (verifyAgainstBucket) can show that.
import { readFile } from 'node:fs/promises';
import { VoiceVaultError } from '../../shared/errors';
import { genesisHash, hashRecord, recordShapeProblem, type AuditRecord } from './record';

export interface ChainProblem {
  /** 1-based line number in the file. */
  line: number;
  problem: string;
}

export interface ChainVerification {
  ok: boolean;
  /** Every line that is a well-formed record, in file order (also those with problems). */
  records: AuditRecord[];
  problems: ChainProblem[];
  /** The last record's hash (64 zeros for an empty log). */
  head: string;
}

export async function verifyAuditChain(path: string): Promise<ChainVerification> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new VoiceVaultError('NotFound', `There is no audit log at ${path}.`, { cause: error });
    throw new VoiceVaultError('Internal', `Could not read the audit log ${path}.`, { cause: error });
  }
  return verifyAuditText(text);
}

export function verifyAuditText(text: string): ChainVerification {
  const lines = text.split('\n');
  const torn = lines.pop() !== ''; // a complete log ends with a newline, leaving an empty last piece
  const records: AuditRecord[] = [];
  const problems: ChainProblem[] = [];
  let previous: AuditRecord | undefined;
  let previousLineBroken = false;

  lines.forEach((content, index) => {
    const line = index + 1;
    const report = (problem: string) => problems.push({ line, problem: `line ${line} ${problem}` });
    let value: unknown;
    try {
      value = JSON.parse(content);
    } catch {
      report(content.trim() === '' ? 'is empty' : 'is not valid JSON');
      previousLineBroken = true;
      return;
    }
    const shape = recordShapeProblem(value);
    if (shape) {
      report(`is not an audit record: ${shape}`);
      previousLineBroken = true;
      return;
    }
    const record = value as AuditRecord;
    records.push(record);
    const expectedSeq = previous ? previous.seq + 1 : 1;
    const expectedPrev = previous ? previous.hash : genesisHash;
    if (hashRecord(record) !== record.hash) {
      report(`was edited: its hash does not match its content (record ${record.seq}, ${record.action})`);
    } else if (!previousLineBroken && record.seq > expectedSeq) {
      report(`is record ${record.seq}, but record ${expectedSeq} should come next: ${record.seq - expectedSeq} record(s) before it were removed`);
    } else if (!previousLineBroken && record.seq < expectedSeq) {
      report(`is record ${record.seq}, but record ${expectedSeq} should come next: a line was inserted before it, or lines were reordered or repeated`);
    } else if (!previousLineBroken && record.prev !== expectedPrev) {
      report(`does not follow the line before it (its prev is not that line's hash): a line was inserted, replaced or moved`);
    }
    previous = record;
    previousLineBroken = false;
  });

  if (torn) problems.push({ line: lines.length + 1, problem: `line ${lines.length + 1} is incomplete: a write was interrupted (opening the log in VoiceVault repairs it and records the repair)` });
  return { ok: problems.length === 0, records, problems, head: previous?.hash ?? genesisHash };
}
