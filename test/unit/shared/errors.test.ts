import { describe, expect, it } from 'vitest';
import { isRetryable, ProvisionerError } from '../../../shared/errors.ts';

class SampleError extends ProvisionerError {
  readonly code = 'SAMPLE';
  constructor(retryable: boolean, cause?: unknown) {
    super('sample failure', { retryable, cause, context: { tenantId: 't-1' } });
  }
}

describe('ProvisionerError', () => {
  it('keeps code, retryable decision, cause and context', () => {
    const cause = new Error('socket hang up');
    const error = new SampleError(true, cause);
    expect(error.name).toBe('SampleError');
    expect(error.code).toBe('SAMPLE');
    expect(error.retryable).toBe(true);
    expect(error.cause).toBe(cause);
    expect(error.toJSON()).toEqual({
      name: 'SampleError',
      code: 'SAMPLE',
      message: 'sample failure',
      retryable: true,
      tenantId: 't-1',
    });
  });

  it('treats foreign errors as not retryable', () => {
    expect(isRetryable(new SampleError(false))).toBe(false);
    expect(isRetryable(new SampleError(true))).toBe(true);
    expect(isRetryable(new Error('x'))).toBe(false);
    expect(isRetryable('boom')).toBe(false);
  });
});
