import { describe, expect, it } from 'vitest';
import { readTenantEventsConfig } from '../../../../functions/tenant-events/config.ts';
import { ConfigurationError } from '../../../../shared/config/errors.ts';

const valid = {
  SECRET_PREFIX: 'tenants',
  PARENT_CREDENTIALS_SECRET: 'subaccount-provisioner/parent-credentials',
  DEAD_LETTER_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/tenant-events-dlq.fifo',
  TENANT_LEDGER_TABLE: 'SubaccountProvisioner-TenantLedger-1A2B3C',
};

describe('tenant-events configuration', () => {
  it('applies defaults', () => {
    expect(readTenantEventsConfig(valid)).toMatchObject({
      FRIENDLY_NAME_TEMPLATE: 'tenant:{tenantId}',
      SECRET_RECOVERY_WINDOW_DAYS: 30,
      TWILIO_MAX_ATTEMPTS: 4,
      TENANT_CONCURRENCY: 10,
      PARENT_CREDENTIALS_TTL_SECONDS: 300,
      CREATE_SETTLE_SECONDS: 60,
      MAX_CLOCK_SKEW_SECONDS: 300,
    });
  });

  it('requires the ledger table and bounds the settle time and the clock skew', () => {
    const { TENANT_LEDGER_TABLE: _, ...withoutTable } = valid;
    expect(() => readTenantEventsConfig(withoutTable)).toThrow(/TENANT_LEDGER_TABLE: is required/);
    expect(() =>
      readTenantEventsConfig({ ...valid, CREATE_SETTLE_SECONDS: '901', MAX_CLOCK_SKEW_SECONDS: '0' }),
    ).toThrow(
      /CREATE_SETTLE_SECONDS: must be an integer 0..900[\s\S]*MAX_CLOCK_SKEW_SECONDS: must be an integer 1..86400/,
    );
  });

  it('parses numbers from strings', () => {
    expect(
      readTenantEventsConfig({ ...valid, SECRET_RECOVERY_WINDOW_DAYS: '7' }).SECRET_RECOVERY_WINDOW_DAYS,
    ).toBe(7);
  });

  it('reports every problem at once, each named by its variable', () => {
    let error: unknown;
    try {
      readTenantEventsConfig({
        SECRET_PREFIX: 'tenants/',
        SECRET_RECOVERY_WINDOW_DAYS: '31',
        FRIENDLY_NAME_TEMPLATE: 'no placeholder',
        TENANT_CONCURRENCY: 'many',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const { problems, message } = error as ConfigurationError;
    expect(message.split('\n')[0]).toBe('Invalid configuration:');
    const named = problems.map((problem) => problem.split(':')[0]);
    expect(named).toEqual(
      expect.arrayContaining([
        'SECRET_PREFIX',
        'PARENT_CREDENTIALS_SECRET',
        'DEAD_LETTER_QUEUE_URL',
        'FRIENDLY_NAME_TEMPLATE',
        'SECRET_RECOVERY_WINDOW_DAYS',
        'TENANT_CONCURRENCY',
      ]),
    );
  });

  it('treats empty strings as unset', () => {
    expect(readTenantEventsConfig({ ...valid, SECRETS_KMS_KEY_ID: '' }).SECRETS_KMS_KEY_ID).toBeUndefined();
  });
});
