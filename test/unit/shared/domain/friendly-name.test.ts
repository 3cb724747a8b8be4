import { describe, expect, it } from 'vitest';
import {
  createFriendlyNameCodec,
  DEFAULT_FRIENDLY_NAME_TEMPLATE,
  friendlyNameTemplateProblems,
} from '../../../../shared/domain/friendly-name.ts';

describe('FriendlyName derivation', () => {
  it('derives the name from the tenantId and reads it back', () => {
    const codec = createFriendlyNameCodec();
    expect(codec.template).toBe(DEFAULT_FRIENDLY_NAME_TEMPLATE);
    expect(codec.encode('acme-01')).toBe('tenant:acme-01');
    expect(codec.decode('tenant:acme-01')).toBe('acme-01');
  });

  it('supports a custom template with a suffix', () => {
    const codec = createFriendlyNameCodec('@{tenantId} prod');
    expect(codec.encode('a.b_c')).toBe('@a.b_c prod');
    expect(codec.decode('@a.b_c prod')).toBe('a.b_c');
    expect(codec.decode('@a.b_c staging')).toBeUndefined();
  });

  it('refuses characters an AWS tag value refuses, since the name is also a tag', () => {
    expect(friendlyNameTemplateProblems('#{tenantId}(x)')).toEqual([
      'must only use characters AWS accepts in a tag value (letters, digits, spaces and _ . : / = + - @), since the name is also the secret\'s "friendly-name" tag: not "#", "(", ")"',
    ]);
    expect(() => createFriendlyNameCodec('[{tenantId}]')).toThrow(/tag value.*not "\[", "\]"/);
    expect(friendlyNameTemplateProblems('tenant:{tenantId}')).toEqual([]);
  });

  it('keeps the longest tenantId within 64 characters', () => {
    const longest = 'x'.repeat(48);
    const name = createFriendlyNameCodec().encode(longest);
    expect(name.length).toBeLessThanOrEqual(64);
    expect(createFriendlyNameCodec().decode(name)).toBe(longest);
  });

  it('does not read back names that are not ours', () => {
    const codec = createFriendlyNameCodec();
    expect(codec.decode('SubAccount Created at 2026-11-27 09:00 am')).toBeUndefined();
    expect(codec.decode('tenant:')).toBeUndefined();
    expect(codec.decode('tenant:has space')).toBeUndefined();
  });

  it('refuses invalid tenantIds', () => {
    expect(() => createFriendlyNameCodec().encode('no spaces')).toThrow(/invalid tenantId/);
  });

  it('lists every problem of a bad template', () => {
    expect(friendlyNameTemplateProblems('no placeholder')).toEqual(['must contain {tenantId} exactly once']);
    expect(friendlyNameTemplateProblems('{tenantId}{tenantId}')).toContain(
      'must contain {tenantId} exactly once',
    );
    expect(friendlyNameTemplateProblems('{env}:{tenantId}')).toContain(
      'must not contain braces other than {tenantId}',
    );
    expect(friendlyNameTemplateProblems(`${'p'.repeat(17)}{tenantId}`)[0]).toMatch(/too little room/);
    expect(friendlyNameTemplateProblems(`${'p'.repeat(16)}{tenantId}`)).toEqual([]);
    expect(() => createFriendlyNameCodec('nothing')).toThrow(/exactly once/);
  });
});
