/** Configuration of the tenant-events function, read from the environment at cold start. */

import { DEFAULT_FRIENDLY_NAME_TEMPLATE, friendlyNameTemplateProblems } from '../domain/friendly-name.ts';
import { DEFAULT_TWILIO_BASE_URL, validateTwilioBaseUrl } from '../twilio/base-url.ts';
import * as z from '../zod.ts';
import { ENV } from './env-names.ts';
import { readEnv } from './read-env.ts';

const integer = (min: number, max: number, fallback: number) => {
  const message = `must be an integer ${min}..${max}`;
  return z._default(
    z.coerce
      .number({ error: message })
      .check(z.refine(Number.isInteger, message), z.minimum(min, message), z.maximum(max, message)),
    fallback,
  );
};

/** Secrets Manager name characters; the prefix is followed by `/${tenantId}`. */
const SECRET_PREFIX = /^[A-Za-z0-9/_+=.@-]{1,200}$/;

export const tenantEventsConfigSchema = z.object({
  [ENV.secretPrefix]: z.string({ error: 'is required (e.g. "tenants")' }).check(
    z.regex(SECRET_PREFIX, 'must be 1..200 of letters, digits and /_+=.@-'),
    z.refine((value) => !value.endsWith('/'), 'must not end with "/"'),
  ),
  [ENV.parentCredentialsSecret]: z
    .string({ error: 'is required (name or ARN of the main-account secret)' })
    .check(z.minLength(1)),
  [ENV.deadLetterQueueUrl]: z.url({ error: 'is required and must be the dead-letter queue URL' }),
  [ENV.friendlyNameTemplate]: z._default(
    z.string().check(
      z.superRefine((template, ctx) => {
        for (const problem of friendlyNameTemplateProblems(template)) {
          ctx.issues.push({ code: 'custom', message: problem, input: template });
        }
      }),
    ),
    DEFAULT_FRIENDLY_NAME_TEMPLATE,
  ),
  [ENV.secretRecoveryWindowDays]: integer(7, 30, 30),
  [ENV.secretsKmsKeyId]: z.optional(z.string().check(z.minLength(1))),
  [ENV.twilioApiBaseUrl]: z._default(
    z.pipe(
      z.string(),
      z.transform((value, ctx) => {
        try {
          return validateTwilioBaseUrl(value.trim(), ENV.twilioApiBaseUrl);
        } catch {
          ctx.issues.push({
            code: 'custom',
            message: 'must be an https URL (plain http only for 127.0.0.1, ::1 or localhost)',
            input: value,
          });
          return z.NEVER;
        }
      }),
    ),
    DEFAULT_TWILIO_BASE_URL,
  ),
  [ENV.twilioMaxAttempts]: integer(1, 10, 4),
  [ENV.tenantConcurrency]: integer(1, 10, 10),
  [ENV.parentCredentialsTtlSeconds]: integer(0, 3600, 300),
  [ENV.tenantLedgerTable]: z
    .string({ error: 'is required (name of the DynamoDB tenant ledger table)' })
    .check(
      z.regex(/^[A-Za-z0-9_.-]{3,255}$/, 'must be a DynamoDB table name (3..255 of letters, digits, _ . -)'),
    ),
  /**
   * 60 s: well past the seconds an account takes to show in Twilio's list in practice, and well
   * inside the default redelivery cycle, so a lost-answer create waits one or two redeliveries
   * before another create, and never makes a duplicate unless the list lags longer than this.
   */
  [ENV.createSettleSeconds]: integer(0, 900, 60),
  /** 300 s: the skew AWS itself tolerates on signed requests; a larger gap is a wrong clock. */
  [ENV.maxClockSkewSeconds]: integer(1, 86_400, 300),
});

export type TenantEventsConfig = z.infer<typeof tenantEventsConfigSchema>;

export const readTenantEventsConfig = (
  env: Readonly<Record<string, string | undefined>>,
): TenantEventsConfig => readEnv(tenantEventsConfigSchema, env);
