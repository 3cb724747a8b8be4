import { describe, expect, it } from 'vitest';
import { eventKey, requestToken } from '../../../../shared/domain/event-key.ts';

describe('event-derived identifiers', () => {
  it('keeps tag-safe eventIds as they are and digests the others', () => {
    expect(eventKey('evt-1_a.b:c/d=e+f@g')).toBe('evt-1_a.b:c/d=e+f@g');
    const digested = eventKey('evt#1!');
    expect(digested).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(eventKey('evt#1!')).toBe(digested);
    expect(eventKey('evt#2!')).not.toBe(digested);
  });

  it('derives a ClientRequestToken that is stable per event and step, and 32..64 long', () => {
    const token = requestToken('evt-1', 'create');
    expect(token).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(requestToken('evt-1', 'create')).toBe(token);
    expect(requestToken('evt-1', 'reprovision')).not.toBe(token);
    expect(requestToken('evt-2', 'create')).not.toBe(token);
  });
});
