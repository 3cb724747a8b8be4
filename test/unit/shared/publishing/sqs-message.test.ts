/** What SQS counts and accepts in a message: the size rule and the character rule. */
import { describe, expect, it } from 'vitest';
import {
  attributeBytes,
  cutToBytes,
  messageBytes,
  SQS_MAX_MESSAGE_BYTES,
  toSqsText,
} from '../../../../shared/publishing/sqs-message.ts';

describe('the SQS message size', () => {
  it('is 1 MiB, counting the body and each attribute name, data type and value in UTF-8 bytes', () => {
    expect(SQS_MAX_MESSAGE_BYTES).toBe(1024 * 1024);
    expect(attributeBytes('reason', { DataType: 'String', StringValue: 'é' })).toBe(6 + 6 + 2);
    expect(
      messageBytes('€', {
        reason: { DataType: 'String', StringValue: 'é' },
        receiveCount: { DataType: 'Number', StringValue: '12' },
      }),
    ).toBe(3 + 14 + (12 + 6 + 2));
  });
});

describe('toSqsText', () => {
  it('keeps every character SQS allows, astral ones included', () => {
    const allowed = '\t\n\r \u0020~\u00E9\uD7FF\uE000\uFFFD\u{10000}\u{1F511}\u{10FFFF}';
    expect(toSqsText(allowed)).toBe(allowed);
  });

  it('replaces C0 controls, U+FFFE/U+FFFF and lone surrogates, one U+FFFD each', () => {
    expect(toSqsText('\u0000a\u0008\u000B\u000C\u001Fb\uFFFE\uFFFF')).toBe(
      '\uFFFDa\uFFFD\uFFFD\uFFFD\uFFFDb\uFFFD\uFFFD',
    );
    expect(toSqsText('x\uD83Dy\uDC00z\uDC00\uD83D')).toBe('x\uFFFDy\uFFFDz\uFFFD\uFFFD');
    expect(toSqsText('\uD83D\uDD11')).toBe('\u{1F511}');
  });
});

describe('cutToBytes', () => {
  it('returns text that fits unchanged', () => {
    expect(cutToBytes('héllo', 6)).toBe('héllo');
    expect(cutToBytes('', 0)).toBe('');
  });

  it('cuts between code points: two-, three- and four-byte characters are never split', () => {
    expect(cutToBytes('aé', 2)).toBe('a');
    expect(cutToBytes('a€', 3)).toBe('a');
    for (let max = 1; max <= 4; max += 1) expect(cutToBytes('a\u{1F511}b', max)).toBe('a');
    expect(cutToBytes('a\u{1F511}b', 5)).toBe('a\u{1F511}');
    expect(cutToBytes('\u{1F511}', 3)).toBe('');
    expect(/\p{Cs}/u.test(cutToBytes('a\u{1F511}b', 5))).toBe(false);
  });

  it('never exceeds the bound, whatever the mix of characters', () => {
    const text = 'aé€\u{1F511}'.repeat(50);
    for (let max = 0; max <= 60; max += 1) {
      const cut = cutToBytes(text, max);
      expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(max);
      expect(Buffer.byteLength(cut)).toBeGreaterThan(max - 4);
      expect(text.startsWith(cut)).toBe(true);
    }
  });
});
