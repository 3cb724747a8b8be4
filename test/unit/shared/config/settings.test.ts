/**
 * Each setting's rule is written once (settings.ts); the function, the CLI and the stack read
 * values through it, so a value one of them refuses, all of them refuse.
 */
import { describe, expect, it } from 'vitest';
import { readCliConfig } from '../../../../cli/config.ts';
import { readTenantEventsConfig } from '../../../../functions/tenant-events/config.ts';
import { parseConfig } from '../../../../infra/config.ts';
import { InvalidConfigurationError } from '../../../../infra/errors.ts';
import { ConfigurationError } from '../../../../shared/config/errors.ts';
import {
  friendlyNameTemplateProblems,
  INTEGER_SETTINGS,
  integerProblems,
  secretPrefixProblems,
  tableNameProblems,
  twilioBaseUrlProblems,
} from '../../../../shared/config/settings.ts';

const functionEnv = {
  SECRET_PREFIX: 'tenants',
  PARENT_CREDENTIALS_SECRET: 'parent',
  DEAD_LETTER_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/dlq.fifo',
  TENANT_LEDGER_TABLE: 'ledger',
};

const refusedBy = (read: () => unknown): boolean => {
  try {
    read();
    return false;
  } catch (error) {
    if (error instanceof ConfigurationError || error instanceof InvalidConfigurationError) return true;
    throw error;
  }
};

describe('the rules', () => {
  it('secret prefix: Secrets Manager characters, 1..200, no leading or trailing slash', () => {
    expect(secretPrefixProblems('tenants/prod')).toEqual([]);
    for (const bad of ['', '/tenants', 'tenants/', 'ten ants', 'x'.repeat(201)]) {
      expect(secretPrefixProblems(bad), bad).toHaveLength(1);
    }
  });

  it('table name, base URL, template and integer ranges', () => {
    expect(tableNameProblems('ab')).toHaveLength(1);
    expect(tableNameProblems('tenant-ledger')).toEqual([]);
    expect(twilioBaseUrlProblems('http://127.0.0.1:4010')).toEqual([]);
    expect(twilioBaseUrlProblems('http://api.example.com')).toEqual([
      'must be an https URL (plain http only for 127.0.0.1, ::1 or localhost)',
    ]);
    expect(twilioBaseUrlProblems('https://user:pw@api.twilio.com')).toEqual(['must not contain credentials']);
    expect(friendlyNameTemplateProblems('tenant:{tenantId}')).toEqual([]);
    expect(integerProblems(INTEGER_SETTINGS.createSettleSeconds, 901)).toEqual(['must be an integer 0..900']);
  });
});

describe('the function, the CLI and the stack agree', () => {
  it.each(['/tenants', 'tenants/', 'ten ants'])('all three refuse the secret prefix %j', (prefix) => {
    expect(refusedBy(() => readTenantEventsConfig({ ...functionEnv, SECRET_PREFIX: prefix }))).toBe(true);
    expect(refusedBy(() => readCliConfig({ secretPrefix: prefix }, {}))).toBe(true);
    expect(refusedBy(() => parseConfig({ secretPrefix: prefix }))).toBe(true);
  });

  it.each(['#{tenantId}', 'no-placeholder', '{tenantId}{tenantId}'])(
    'all three refuse the template %j',
    (template) => {
      expect(
        refusedBy(() => readTenantEventsConfig({ ...functionEnv, FRIENDLY_NAME_TEMPLATE: template })),
      ).toBe(true);
      expect(refusedBy(() => readCliConfig({}, { FRIENDLY_NAME_TEMPLATE: template }))).toBe(true);
      expect(refusedBy(() => parseConfig({ friendlyNameTemplate: template }))).toBe(true);
    },
  );

  it('the function and the stack share integer ranges and defaults', () => {
    expect(
      refusedBy(() => readTenantEventsConfig({ ...functionEnv, SECRET_RECOVERY_WINDOW_DAYS: '6' })),
    ).toBe(true);
    expect(refusedBy(() => parseConfig({ secretRecoveryWindowDays: 6 }))).toBe(true);
    expect(parseConfig({}).createSettleSeconds).toBe(
      readTenantEventsConfig(functionEnv).CREATE_SETTLE_SECONDS,
    );
    expect(parseConfig({}).maxClockSkewSeconds).toBe(
      readTenantEventsConfig(functionEnv).MAX_CLOCK_SKEW_SECONDS,
    );
  });
});
