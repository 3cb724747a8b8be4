/**
 * The rule of every setting, written once. The functions' configuration (zod/mini, at cold start),
 * the operator CLI's (full zod) and the CDK stack's (`infra/config.ts`, at synth) all check their
 * values with these, so the three can never disagree on what a valid value is.
 */
import { friendlyNameTemplateProblems } from '../domain/friendly-name.ts';
import { TENANT_CREDENTIAL_KINDS } from '../domain/ports.ts';

export { DEFAULT_FRIENDLY_NAME_TEMPLATE } from '../domain/friendly-name.ts';

/** A rule: the problems of a value, empty when it is valid. */
export type Rule = (value: string) => string[];

const when = (invalid: boolean, problem: string): string[] => (invalid ? [problem] : []);

/**
 * Tenant secrets are `PREFIX/tenantId`: Secrets Manager's name characters, and 200 leaves room for
 * `/tenantId` within its 512 limit; no leading or trailing `/`.
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html
 */
export const secretPrefixProblems: Rule = (value) =>
  when(
    !/^[A-Za-z0-9/_+=.@-]{1,200}$/.test(value) || value.startsWith('/') || value.endsWith('/'),
    'must be 1..200 of letters, digits and /_+=.@- without a leading or trailing /',
  );

export const DEFAULT_SECRET_PREFIX = 'tenants';

/** https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html */
export const tableNameProblems: Rule = (value) =>
  when(
    !/^[A-Za-z0-9_.-]{3,255}$/.test(value),
    'must be a DynamoDB table name (3..255 of letters, digits, _ . -)',
  );

export { friendlyNameTemplateProblems };

/**
 * The Twilio API origin. Plain HTTP only for an emulator on this machine: credentials travel in a
 * Basic Authorization header and must never cross a network in clear text.
 */
export const twilioBaseUrlProblems: Rule = (value) => {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return ['is not a valid URL'];
  }
  if (url.username || url.password) return ['must not contain credentials'];
  if (url.pathname !== '/' || url.search || url.hash)
    return ['must be an origin only, like https://api.twilio.com'];
  const loopbackHttp = url.protocol === 'http:' && ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname);
  return when(
    url.protocol !== 'https:' && !loopbackHttp,
    'must be an https URL (plain http only for 127.0.0.1, ::1 or localhost)',
  );
};

export const DEFAULT_TWILIO_BASE_URL = 'https://api.twilio.com';

/** The origin of a valid base URL (call after `twilioBaseUrlProblems` found none). */
export const twilioOrigin = (value: string): string => new URL(value.trim()).origin;

export interface IntegerSetting {
  readonly min: number;
  readonly max: number;
  readonly default: number;
}

/** Every integer setting's range and default. */
export const INTEGER_SETTINGS = {
  /** Secrets Manager only accepts a recovery window of 7..30 days. */
  secretRecoveryWindowDays: { min: 7, max: 30, default: 30 },
  twilioMaxAttempts: { min: 1, max: 10, default: 4 },
  tenantConcurrency: { min: 1, max: 10, default: 10 },
  parentCredentialsTtlSeconds: { min: 0, max: 3600, default: 300 },
  /**
   * 60 s: well past the seconds an account takes to show in Twilio's list in practice, and well
   * inside the default redelivery cycle, so a lost-answer create waits one or two redeliveries
   * before another create, and never makes a duplicate unless the list lags longer than this.
   */
  createSettleSeconds: { min: 0, max: 900, default: 60 },
  /** 300 s: the skew AWS itself tolerates on signed requests; a larger gap is a wrong clock. */
  maxClockSkewSeconds: { min: 1, max: 86_400, default: 300 },
  /** Twilio's default limit of subaccounts per main account; raising it takes a support ticket. */
  subaccountLimit: { min: 1, max: 1_000_000, default: 1000 },
} as const satisfies Record<string, IntegerSetting>;

export const integerProblems = (setting: IntegerSetting, value: number): string[] =>
  when(
    !Number.isSafeInteger(value) || value < setting.min || value > setting.max,
    `must be an integer ${setting.min}..${setting.max}`,
  );

/** An EventBridge bus name or ARN. https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEventsRequestEntry.html */
export const eventBusProblems: Rule = (value) =>
  when(
    !/^(arn:aws[\w-]*:events:[a-z0-9-]+:\d{12}:event-bus\/)?[A-Za-z0-9._/-]{1,256}$/.test(value),
    'must be an EventBridge event bus name or ARN',
  );

export const DEFAULT_OUTCOME_EVENT_BUS = 'default';

/** What a tenant's secret holds; `auth-token` is today's behaviour, keys are what Twilio recommends. */
export const TENANT_CREDENTIAL_SETTING = { values: TENANT_CREDENTIAL_KINDS, default: 'auth-token' } as const;

export const tenantCredentialsProblems: Rule = (value) =>
  when(
    !(TENANT_CREDENTIAL_SETTING.values as readonly string[]).includes(value),
    `must be one of ${TENANT_CREDENTIAL_SETTING.values.join(', ')}`,
  );

/**
 * Days from a churn to the close; 0 (the default) closes at once. Fractions are allowed so a local
 * run can watch a close happen (0.001 days is about 86 s).
 */
export const CHURN_GRACE_DAYS = { min: 0, max: 90, default: 0 } as const;

export const churnGraceDaysProblems = (value: number): string[] =>
  when(
    !Number.isFinite(value) || value < CHURN_GRACE_DAYS.min || value > CHURN_GRACE_DAYS.max,
    `must be a number of days ${CHURN_GRACE_DAYS.min}..${CHURN_GRACE_DAYS.max} (fractions allowed)`,
  );
