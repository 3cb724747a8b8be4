import { describe, expect, it } from 'vitest';
import { parseRetryAfterMs } from '../../../shared/twilio/retry-after.ts';

const NOW = Date.parse('2025-03-01T12:00:00Z');

describe('parseRetryAfterMs', () => {
  it.each([
    ['0', 0],
    ['1', 1000],
    [' 7 ', 7000],
    ['120', 120_000],
  ])('reads delay-seconds %j as %d ms', (value, expected) => {
    expect(parseRetryAfterMs(value, NOW)).toBe(expected);
  });

  it('reads an HTTP-date as the time left until it', () => {
    expect(parseRetryAfterMs('Sat, 01 Mar 2025 12:00:05 GMT', NOW)).toBe(5000);
  });

  it('treats an HTTP-date in the past as no wait', () => {
    expect(parseRetryAfterMs('Sat, 01 Mar 2025 11:59:00 GMT', NOW)).toBe(0);
  });

  it('takes the first of repeated headers', () => {
    expect(parseRetryAfterMs(['3', '9'], NOW)).toBe(3000);
  });

  it.each([undefined, '', '   ', '-1', '1.5', 'soon', '10s'])('ignores %j', (value) => {
    expect(parseRetryAfterMs(value, NOW)).toBeUndefined();
  });
});
