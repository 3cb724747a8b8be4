/** The reconcile function's configuration: validated once, every problem named by its variable. */
import { describe, expect, it } from 'vitest';
import { readReconcileConfig } from '../../../../functions/reconcile/config.ts';
import { ConfigurationError } from '../../../../shared/config/errors.ts';

const valid = {
  SECRET_PREFIX: 'tenants',
  PARENT_CREDENTIALS_SECRET: 'parent',
  TENANT_LEDGER_TABLE: 'ledger',
};

const problemsOf = (env: Record<string, string | undefined>): readonly string[] => {
  try {
    readReconcileConfig(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
};

describe('readReconcileConfig', () => {
  it('fills the defaults and needs no queue URL (the check only reads)', () => {
    expect(readReconcileConfig(valid)).toEqual({
      SECRET_PREFIX: 'tenants',
      PARENT_CREDENTIALS_SECRET: 'parent',
      PARENT_CREDENTIALS_TTL_SECONDS: 300,
      FRIENDLY_NAME_TEMPLATE: 'tenant:{tenantId}',
      TWILIO_API_BASE_URL: 'https://api.twilio.com',
      TWILIO_MAX_ATTEMPTS: 4,
      TENANT_LEDGER_TABLE: 'ledger',
      SUBACCOUNT_LIMIT: 1000,
    });
  });

  it('names every bad variable at once', () => {
    const problems = problemsOf({
      SECRET_PREFIX: 'tenants/',
      FRIENDLY_NAME_TEMPLATE: 'x',
      TWILIO_API_BASE_URL: 'http://api.example.com',
      TWILIO_MAX_ATTEMPTS: '0',
    });
    expect(problems.map((problem) => problem.split(':')[0])).toEqual([
      'SECRET_PREFIX',
      'PARENT_CREDENTIALS_SECRET',
      'FRIENDLY_NAME_TEMPLATE',
      'TWILIO_API_BASE_URL',
      'TWILIO_MAX_ATTEMPTS',
      'TENANT_LEDGER_TABLE',
    ]);
  });
});
