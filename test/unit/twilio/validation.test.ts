import { describe, expect, it } from 'vitest';
import { TwilioInputError } from '../../../shared/twilio/errors.ts';
import {
  assertAccountSid,
  validateCreateInput,
  validateListInput,
  validateUpdateInput,
} from '../../../shared/twilio/validation.ts';

const SID = `AC${'0123456789abcdefABCDEF0123456789'}`;

const inputError = (run: () => void): TwilioInputError => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TwilioInputError);
    return error as TwilioInputError;
  }
  throw new Error('expected a TwilioInputError');
};

describe('input validation', () => {
  it('accepts account SIDs of AC + 32 hex digits in either case', () => {
    expect(() => assertAccountSid(SID)).not.toThrow();
  });

  it.each([
    '',
    `AC${'0'.repeat(31)}`,
    `AC${'0'.repeat(33)}`,
    `SK${'0'.repeat(32)}`,
    `ac${'0'.repeat(32)}`,
    `AC${'g'.repeat(32)}`,
    `AC${'0'.repeat(32)}/../x`,
  ])('rejects SID %j, not retryable', (sid) => {
    const error = inputError(() => assertAccountSid(sid));
    expect(error.retryable).toBe(false);
    expect(error.context).toEqual({ field: 'sid' });
  });

  it('limits FriendlyName to 64 characters, counting characters rather than UTF-16 units', () => {
    expect(() => validateCreateInput({ friendlyName: 'x'.repeat(64) })).not.toThrow();
    expect(() => validateCreateInput({ friendlyName: '😀'.repeat(64) })).not.toThrow();
    expect(inputError(() => validateCreateInput({ friendlyName: 'x'.repeat(65) })).message).toMatch(
      /friendlyName/,
    );
    inputError(() => validateCreateInput({ friendlyName: '' }));
    expect(() => validateCreateInput({})).not.toThrow();
  });

  it.each([1, 50, 1000])('accepts PageSize %d', (pageSize) => {
    expect(() => validateListInput({ pageSize })).not.toThrow();
  });

  it.each([0, 1001, 2.5, -1, Number.NaN])('rejects PageSize %d', (pageSize) => {
    expect(inputError(() => validateListInput({ pageSize })).context).toEqual({ field: 'pageSize' });
  });

  it('accepts only the three statuses', () => {
    for (const status of ['active', 'suspended', 'closed'] as const) {
      expect(() => validateListInput({ status })).not.toThrow();
      expect(() => validateUpdateInput(SID, { status })).not.toThrow();
    }
    inputError(() => validateListInput({ status: 'Active' as never }));
    inputError(() => validateUpdateInput(SID, { status: 'deleted' as never }));
  });

  it('needs at least one field to update and a valid SID', () => {
    expect(inputError(() => validateUpdateInput(SID, {})).context).toEqual({ field: 'update' });
    expect(inputError(() => validateUpdateInput('AC123', { status: 'active' })).context).toEqual({
      field: 'sid',
    });
    expect(() => validateUpdateInput(SID, { friendlyName: 'renamed' })).not.toThrow();
  });
});
