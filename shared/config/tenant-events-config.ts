/** Configuration of the tenant-events function, read from the environment at cold start. */
import { z } from 'zod';
import { DEFAULT_FRIENDLY_NAME_TEMPLATE, friendlyNameTemplateProblems } from '../domain/friendly-name.ts';
import { DEFAULT_TWILIO_BASE_URL, validateTwilioBaseUrl } from '../twilio/base-url.ts';
import { ENV } from './env-names.ts';
import { readEnv } from './read-env.ts';

const integer = (min: number, max: number, fallback: number) =>
  z.coerce
    .number({ message: `must be an integer ${min}..${max}` })
    .int(`must be an integer ${min}..${max}`)
    .min(min, `must be an integer ${min}..${max}`)
    .max(max, `must be an integer ${min}..${max}`)
    .default(fallback);

/** Secrets Manager name characters; the prefix is followed by `/${tenantId}`. */
const SECRET_PREFIX = /^[A-Za-z0-9/_+=.@-]{1,200}$/;

export const tenantEventsConfigSchema = z.object({
  [ENV.secretPrefix]: z
    .string({ message: 'is required (e.g. "tenants")' })
    .regex(SECRET_PREFIX, 'must be 1..200 of letters, digits and /_+=.@-')
    .refine((value) => !value.endsWith('/'), 'must not end with "/"'),
  [ENV.parentCredentialsSecret]: z
    .string({ message: 'is required (name or ARN of the main-account secret)' })
    .min(1),
  [ENV.deadLetterQueueUrl]: z.url({ message: 'is required and must be the dead-letter queue URL' }),
  [ENV.friendlyNameTemplate]: z
    .string()
    .default(DEFAULT_FRIENDLY_NAME_TEMPLATE)
    .superRefine((template, ctx) => {
      for (const problem of friendlyNameTemplateProblems(template))
        ctx.addIssue({ code: 'custom', message: problem });
    }),
  [ENV.secretRecoveryWindowDays]: integer(7, 30, 30),
  [ENV.secretsKmsKeyId]: z.string().min(1).optional(),
  [ENV.twilioApiBaseUrl]: z
    .string()
    .default(DEFAULT_TWILIO_BASE_URL)
    .transform((value, ctx) => {
      try {
        return validateTwilioBaseUrl(value.trim(), ENV.twilioApiBaseUrl);
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: 'must be an https URL (plain http only for 127.0.0.1, ::1 or localhost)',
        });
        return z.NEVER;
      }
    }),
  [ENV.twilioMaxAttempts]: integer(1, 10, 4),
  [ENV.tenantConcurrency]: integer(1, 10, 10),
  [ENV.parentCredentialsTtlSeconds]: integer(0, 3600, 300),
});

export type TenantEventsConfig = z.infer<typeof tenantEventsConfigSchema>;

export const readTenantEventsConfig = (
  env: Readonly<Record<string, string | undefined>>,
): TenantEventsConfig => readEnv(tenantEventsConfigSchema, env);
