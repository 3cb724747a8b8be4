/** The one rule for FIFO group and deduplication ids, as real SQS applies it. */
import { describe, expect, it } from 'vitest';
import { InvalidSqsIdError } from '../../../../shared/publishing/errors.ts';
import {
  fifoIdErrors,
  isSqsId,
  SQS_ID_MAX_LENGTH,
  sqsIdProblem,
} from '../../../../shared/publishing/sqs-ids.ts';

const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

describe('SQS message group and deduplication ids', () => {
  it('accepts 1..128 ASCII letters, digits and punctuation: every character from ! to ~', () => {
    const printable = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i)).join(
      '',
    );
    expect(printable).toHaveLength(94);
    expect([...printable].every((char) => /[A-Za-z0-9]/.test(char) || PUNCTUATION.includes(char))).toBe(true);
    expect(isSqsId(printable)).toBe(true);
    expect(isSqsId('a')).toBe(true);
    expect(isSqsId('x'.repeat(SQS_ID_MAX_LENGTH))).toBe(true);
    expect(isSqsId('tenant-42')).toBe(true);
  });

  it('refuses an empty id and one over 128 characters', () => {
    expect(sqsIdProblem('')).toBe('must not be empty');
    expect(sqsIdProblem('x'.repeat(129))).toBe('has 129 characters, SQS allows at most 128');
  });

  it.each([
    ['a space', 'tenant 42', 'a space at position 7'],
    ['a tab', 'a\tb', 'U+0009 at position 2'],
    ['a non-ASCII letter', 'café', 'U+00E9 at position 4'],
    ['an astral character, counted as one', 'k\u{1F511}x\u00A0', 'U+1F511 at position 2'],
    ['DEL', 'a\u007F', 'U+007F at position 2'],
  ])('refuses %s, naming it and its position', (_, id, where) => {
    expect(sqsIdProblem(id)).toBe(`has ${where}; SQS allows only ASCII letters, digits and punctuation`);
  });

  it('names the field of each id SQS would refuse', () => {
    expect(fifoIdErrors({ groupId: 'acme', deduplicationId: 'evt-1' })).toEqual([]);
    const [group, dedup, ...more] = fifoIdErrors({ groupId: 'x'.repeat(200), deduplicationId: 'evt 1' });
    expect(more).toEqual([]);
    expect(group).toBeInstanceOf(InvalidSqsIdError);
    expect(group).toMatchObject({ code: 'SQS_ID_INVALID', field: 'MessageGroupId', retryable: false });
    // The value is quoted, but cut short: an error line stays readable.
    expect(group?.message).toBe(
      `MessageGroupId "${'x'.repeat(40)}…" has 200 characters, SQS allows at most 128`,
    );
    expect(dedup).toMatchObject({ field: 'MessageDeduplicationId' });
    expect(dedup?.message).toBe(
      'MessageDeduplicationId "evt 1" has a space at position 4; SQS allows only ASCII letters, digits and punctuation',
    );
  });
});
