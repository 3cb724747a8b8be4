import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../../shared/config/errors.ts';
import { readTenantEventsConfig } from '../../../shared/config/tenant-events-config.ts';

const valid = {
  SECRET_PREFIX: 'tenants',
  PARENT_CREDENTIALS_SECRET: 'subaccount-provisioner/parent-credentials',
  DEAD_LETTER_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/tenant-events-dlq.fifo',
};

describe('tenant-events configuration', () => {
  it('applies defaults', () => {
    expect(readTenantEventsConfig(valid)).toMatchObject({
      FRIENDLY_NAME_TEMPLATE: 'tenant:{tenantId}',
      SECRET_RECOVERY_WINDOW_DAYS: 30,
      TWILIO_MAX_ATTEMPTS: 4,
      TENANT_CONCURRENCY: 10,
      PARENT_CREDENTIALS_TTL_SECONDS: 300,
    });
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
