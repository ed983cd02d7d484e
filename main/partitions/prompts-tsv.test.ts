// Prompt scripts come from spreadsheets: every bad line is named, and a bad file yields nothing.
import { describe, expect, it } from 'vitest';
import { isVoiceVaultError } from '../../shared/errors';
import { parsePromptsTsv } from './prompts-tsv';

function refusal(text: string): string {
  try {
    parsePromptsTsv(text);
  } catch (error) {
    if (isVoiceVaultError(error) && error.code === 'InvalidPartition') return error.message;
    throw error;
  }
  throw new Error('the TSV was accepted');
}

describe('prompt TSV import', () => {
  it('reads id and text per line, in order, with an optional header, a BOM, CRLF and blank lines', () => {
    const tsv = '\ufeffid\ttext\r\nq1\tThe "quick" brown fox.\r\n\r\nq2\t  Seven seals, one sea.  \r\n';
    expect(parsePromptsTsv(tsv)).toEqual([
      { id: 'q1', text: 'The "quick" brown fox.' },
      { id: 'q2', text: 'Seven seals, one sea.' },
    ]);
  });

  it('names each bad line: missing text, extra fields, empty prompt, bad id, duplicate id', () => {
    const tsv = ['q1\tFine.', 'q2', 'q3\tone\ttwo', 'q4\t   ', 'bad id\tText.', 'q1\tAgain.'].join('\n');
    expect(refusal(tsv)).toBe(
      [
        'The prompt file has problems:',
        '  line 2: expected <id><TAB><text>, found 1 field',
        '  line 3: expected <id><TAB><text>, found 3 fields',
        '  line 4: a prompt must have some text (id "q4")',
        '  line 5: a prompt id is 1 to 64 letters, digits, ".", ":", "_" or "-", starting with a letter or digit (id "bad id")',
        '  line 6: prompt id "q1" is already used on line 1',
      ].join('\n'),
    );
  });

  it('refuses an empty file and a file with only a header', () => {
    expect(refusal('')).toBe('The prompt file has problems:\n  the file holds no prompts');
    expect(refusal('id\ttext\n\n')).toBe('The prompt file has problems:\n  the file holds no prompts');
  });

  it('refuses a file over 1 MiB before parsing it, and more prompts than a partition holds', () => {
    const big = `q1\t${'x'.repeat(1024 * 1024)}\n`;
    expect(refusal(big)).toBe(`The prompt file is ${1024 * 1024 + 4} bytes; at most 1048576 bytes (1 MiB) are accepted.`);
    const many = Array.from({ length: 2001 }, (_, i) => `q${i}\tPrompt ${i}.`).join('\n');
    expect(refusal(many)).toBe('The prompt file has problems:\n  the file holds 2001 prompts; a partition holds at most 2000');
  });
});
