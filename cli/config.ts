/**
 * Settings of the operator CLI (`tenants`): each comes from a command-line option or, when the
 * option is absent, from the same environment variable the functions read. Validated once per
 * run; every problem names both the option and the variable.
 */
import { z } from 'zod';
import { ConfigurationError } from '../shared/config/errors.ts';
import { readEnv } from '../shared/config/read-env.ts';
import {
  DEFAULT_FRIENDLY_NAME_TEMPLATE,
  DEFAULT_SECRET_PREFIX,
  DEFAULT_TWILIO_BASE_URL,
  friendlyNameTemplateProblems,
  INTEGER_SETTINGS,
  integerProblems,
  type Rule,
  secretPrefixProblems,
  tableNameProblems,
  twilioBaseUrlProblems,
  twilioOrigin,
} from '../shared/config/settings.ts';
import { ENV } from '../shared/contracts/env-names.ts';

/** The source queue producers publish to. */
export const TENANT_EVENTS_QUEUE_URL = ENV.tenantEventsQueueUrl;

/** A string checked by one rule of settings.ts. */
const ruled = (rule: Rule) =>
  z.string().superRefine((value, ctx) => {
    for (const message of rule(value)) ctx.addIssue({ code: 'custom', message });
  });

/** The options a command may take, as commander names them. */
export interface CliFlags {
  readonly queueUrl?: string;
  readonly dlqUrl?: string;
  readonly secretPrefix?: string;
  readonly parentSecret?: string;
  readonly ledgerTable?: string;
  /** `tenants status --summary --limit N`. */
  readonly limit?: string;
}

/** How each setting is named in errors: the option first, then the variable. */
const NAME = {
  queueUrl: `--queue-url (${TENANT_EVENTS_QUEUE_URL})`,
  dlqUrl: `--dlq-url (${ENV.deadLetterQueueUrl})`,
  secretPrefix: `--secret-prefix (${ENV.secretPrefix})`,
  parentSecret: `--parent-secret (${ENV.parentCredentialsSecret})`,
  ledgerTable: `--ledger-table (${ENV.tenantLedgerTable})`,
  friendlyNameTemplate: ENV.friendlyNameTemplate,
  twilioApiBaseUrl: ENV.twilioApiBaseUrl,
  recoveryWindowDays: ENV.secretRecoveryWindowDays,
  subaccountLimit: `--limit (${ENV.subaccountLimit})`,
} as const;

const recoveryWindow = INTEGER_SETTINGS.secretRecoveryWindowDays;
const subaccountLimit = INTEGER_SETTINGS.subaccountLimit;

const schema = z.object({
  [NAME.queueUrl]: z.url({ message: 'must be the queue URL' }).optional(),
  [NAME.dlqUrl]: z.url({ message: 'must be the dead-letter queue URL' }).optional(),
  [NAME.secretPrefix]: ruled(secretPrefixProblems).default(DEFAULT_SECRET_PREFIX),
  [NAME.parentSecret]: z.string().min(1).optional(),
  [NAME.ledgerTable]: ruled(tableNameProblems).optional(),
  [NAME.friendlyNameTemplate]: ruled(friendlyNameTemplateProblems).default(DEFAULT_FRIENDLY_NAME_TEMPLATE),
  [NAME.twilioApiBaseUrl]: ruled(twilioBaseUrlProblems)
    .default(DEFAULT_TWILIO_BASE_URL)
    .transform(twilioOrigin),
  [NAME.recoveryWindowDays]: z.coerce
    .number({ message: `must be an integer ${recoveryWindow.min}..${recoveryWindow.max}` })
    .superRefine((value, ctx) => {
      for (const message of integerProblems(recoveryWindow, value)) ctx.addIssue({ code: 'custom', message });
    })
    .default(recoveryWindow.default),
  [NAME.subaccountLimit]: z.coerce
    .number({ message: `must be an integer ${subaccountLimit.min}..${subaccountLimit.max}` })
    .superRefine((value, ctx) => {
      for (const message of integerProblems(subaccountLimit, value))
        ctx.addIssue({ code: 'custom', message });
    })
    .default(subaccountLimit.default),
});

export interface CliConfig {
  readonly queueUrl?: string;
  readonly deadLetterQueueUrl?: string;
  readonly secretPrefix: string;
  readonly parentCredentialsSecret?: string;
  /** The tenant ledger's DynamoDB table. */
  readonly ledgerTable?: string;
  readonly friendlyNameTemplate: string;
  readonly twilioApiBaseUrl: string;
  /** Only used to tell when a retired secret is deleted for good. */
  readonly secretRecoveryWindowDays: number;
  /** The main account's subaccount limit (Twilio's default is 1000), for `status --summary`. */
  readonly subaccountLimit: number;
}

/** Options win over variables; an empty option or variable counts as unset. */
export const readCliConfig = (
  flags: CliFlags,
  env: Readonly<Record<string, string | undefined>>,
): CliConfig => {
  const read = readEnv(schema, {
    [NAME.queueUrl]: flags.queueUrl ?? env[TENANT_EVENTS_QUEUE_URL],
    [NAME.dlqUrl]: flags.dlqUrl ?? env[ENV.deadLetterQueueUrl],
    [NAME.secretPrefix]: flags.secretPrefix ?? env[ENV.secretPrefix],
    [NAME.parentSecret]: flags.parentSecret ?? env[ENV.parentCredentialsSecret],
    [NAME.ledgerTable]: flags.ledgerTable ?? env[ENV.tenantLedgerTable],
    [NAME.friendlyNameTemplate]: env[ENV.friendlyNameTemplate],
    [NAME.twilioApiBaseUrl]: env[ENV.twilioApiBaseUrl],
    [NAME.recoveryWindowDays]: env[ENV.secretRecoveryWindowDays],
    [NAME.subaccountLimit]: flags.limit ?? env[ENV.subaccountLimit],
  });
  return {
    queueUrl: read[NAME.queueUrl],
    deadLetterQueueUrl: read[NAME.dlqUrl],
    secretPrefix: read[NAME.secretPrefix],
    parentCredentialsSecret: read[NAME.parentSecret],
    ledgerTable: read[NAME.ledgerTable],
    friendlyNameTemplate: read[NAME.friendlyNameTemplate],
    twilioApiBaseUrl: read[NAME.twilioApiBaseUrl],
    secretRecoveryWindowDays: read[NAME.recoveryWindowDays],
    subaccountLimit: read[NAME.subaccountLimit],
  };
};

const REQUIRED_NAME = {
  queueUrl: NAME.queueUrl,
  deadLetterQueueUrl: NAME.dlqUrl,
  parentCredentialsSecret: NAME.parentSecret,
  ledgerTable: NAME.ledgerTable,
} as const;

export type RequiredCliSetting = keyof typeof REQUIRED_NAME;

/** The value of a setting this command cannot do without. */
export const requireCliSetting = (config: CliConfig, setting: RequiredCliSetting): string => {
  const value = config[setting];
  if (value === undefined) throw new ConfigurationError([`${REQUIRED_NAME[setting]}: is required`]);
  return value;
};
