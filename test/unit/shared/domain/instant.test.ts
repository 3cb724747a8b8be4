import { describe, expect, it } from 'vitest';
import {
  canonicalInstant,
  compareInstants,
  instantMs,
  parseInstant,
} from '../../../../shared/domain/instant.ts';

const cmp = (a: string, b: string) => Math.sign(compareInstants(parseInstant(a), parseInstant(b)));

describe('exact instants', () => {
  it('keeps sub-millisecond digits that Date.parse drops', () => {
    expect(Date.parse('2026-01-01T00:00:00.0009Z')).toBe(Date.parse('2026-01-01T00:00:00.0001Z'));
    expect(cmp('2026-01-01T00:00:00.0009Z', '2026-01-01T00:00:00.0001Z')).toBe(1);
  });

  it('treats trailing zeros and different precisions as the same instant', () => {
    expect(cmp('2026-01-01T00:00:00.1Z', '2026-01-01T00:00:00.100000000Z')).toBe(0);
    expect(cmp('2026-01-01T00:00:00Z', '2026-01-01T00:00:00.000Z')).toBe(0);
    expect(canonicalInstant('2026-01-01T00:00:00.1Z')).toBe('2026-01-01T00:00:00.100000000Z');
  });

  it('normalises offsets to UTC, with or without a colon', () => {
    expect(canonicalInstant('2026-01-01T01:00:00.5+01:00')).toBe('2026-01-01T00:00:00.500000000Z');
    expect(canonicalInstant('2026-01-01T01:00:00.5+0100')).toBe('2026-01-01T00:00:00.500000000Z');
    expect(cmp('2026-01-01T01:00:00+01:00', '2026-01-01T00:00:00Z')).toBe(0);
  });

  it('keeps more than nine digits when the event has them', () => {
    expect(canonicalInstant('2026-01-01T00:00:00.0000000001Z')).toBe('2026-01-01T00:00:00.0000000001Z');
    expect(cmp('2026-01-01T00:00:00.0000000001Z', '2026-01-01T00:00:00Z')).toBe(1);
  });

  it('converts to epoch ms for comparison with a clock', () => {
    expect(instantMs(parseInstant('9999-12-31T00:00:00Z'))).toBe(Date.UTC(9999, 11, 31));
    expect(instantMs(parseInstant('2026-01-01T00:00:00.25Z'))).toBe(Date.UTC(2026, 0, 1) + 250);
  });

  it('refuses text that is not a date-time', () => {
    expect(() => parseInstant('yesterday')).toThrow(RangeError);
  });
});
