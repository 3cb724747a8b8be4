/**
 * Configuration of the tenant-events function, read from the environment at cold start. Each
 * field's rule comes from settings.ts, shared with the CLI and the CDK stack.
 */

import { integerSetting, ruledString } from '../../shared/config/env-fields.ts';
import { readEnv } from '../../shared/config/read-env.ts';
import {
  CHURN_GRACE_DAYS,
  churnGraceDaysProblems,
  DEFAULT_FRIENDLY_NAME_TEMPLATE,
  DEFAULT_OUTCOME_EVENT_BUS,
  DEFAULT_TWILIO_BASE_URL,
  eventBusProblems,
  friendlyNameTemplateProblems,
  INTEGER_SETTINGS,
  secretPrefixProblems,
  TENANT_CREDENTIAL_SETTING,
  tableNameProblems,
  tenantCredentialsProblems,
  twilioBaseUrlProblems,
  twilioOrigin,
} from '../../shared/config/settings.ts';
import { ENV } from '../../shared/contracts/env-names.ts';
import type { TenantCredentialKind } from '../../shared/domain/ports.ts';
import * as z from '../../shared/zod.ts';

const ruled = ruledString;
const integer = integerSetting;

export const tenantEventsConfigSchema = z.object({
  [ENV.secretPrefix]: ruled(secretPrefixProblems, 'is required (e.g. "tenants")'),
  [ENV.parentCredentialsSecret]: z
    .string({ error: 'is required (name or ARN of the main-account secret)' })
    .check(z.minLength(1)),
  [ENV.deadLetterQueueUrl]: z.url({ error: 'is required and must be the dead-letter queue URL' }),
  [ENV.friendlyNameTemplate]: z._default(
    ruled(friendlyNameTemplateProblems, 'must be a string'),
    DEFAULT_FRIENDLY_NAME_TEMPLATE,
  ),
  [ENV.secretRecoveryWindowDays]: integer(INTEGER_SETTINGS.secretRecoveryWindowDays),
  [ENV.secretsKmsKeyId]: z.optional(z.string().check(z.minLength(1))),
  [ENV.twilioApiBaseUrl]: z._default(
    z.pipe(ruled(twilioBaseUrlProblems, 'must be a string'), z.transform(twilioOrigin)),
    DEFAULT_TWILIO_BASE_URL,
  ),
  [ENV.twilioMaxAttempts]: integer(INTEGER_SETTINGS.twilioMaxAttempts),
  [ENV.tenantConcurrency]: integer(INTEGER_SETTINGS.tenantConcurrency),
  [ENV.parentCredentialsTtlSeconds]: integer(INTEGER_SETTINGS.parentCredentialsTtlSeconds),
  [ENV.tenantLedgerTable]: ruled(tableNameProblems, 'is required (name of the DynamoDB tenant ledger table)'),
  [ENV.createSettleSeconds]: integer(INTEGER_SETTINGS.createSettleSeconds),
  [ENV.maxClockSkewSeconds]: integer(INTEGER_SETTINGS.maxClockSkewSeconds),
  [ENV.outcomeEventBus]: z._default(ruled(eventBusProblems, 'must be a string'), DEFAULT_OUTCOME_EVENT_BUS),
  [ENV.tenantCredentials]: z._default(
    z.pipe(
      ruled(tenantCredentialsProblems, 'must be a string'),
      z.transform((value) => value as TenantCredentialKind),
    ),
    TENANT_CREDENTIAL_SETTING.default,
  ),
  [ENV.churnGraceDays]: z._default(
    z.pipe(
      z.coerce.number({ error: 'must be a number of days' }),
      z.number().check(
        z.superRefine((value, ctx) => {
          for (const message of churnGraceDaysProblems(value))
            ctx.issues.push({ code: 'custom', message, input: value });
        }),
      ),
    ),
    CHURN_GRACE_DAYS.default,
  ),
});

export type TenantEventsConfig = z.infer<typeof tenantEventsConfigSchema>;

export const readTenantEventsConfig = (
  env: Readonly<Record<string, string | undefined>>,
): TenantEventsConfig => readEnv(tenantEventsConfigSchema, env);
