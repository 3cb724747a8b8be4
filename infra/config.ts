import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';
import {
  CHURN_GRACE_DAYS,
  churnGraceDaysProblems,
  DEFAULT_FRIENDLY_NAME_TEMPLATE,
  DEFAULT_OUTCOME_EVENT_BUS,
  DEFAULT_SECRET_PREFIX,
  eventBusProblems,
  friendlyNameTemplateProblems,
  INTEGER_SETTINGS,
  type IntegerSetting,
  type Rule,
  secretPrefixProblems,
  TENANT_CREDENTIAL_SETTING,
  tenantCredentialsProblems,
} from '../shared/config/settings.ts';
import { type ConfigProblem, InvalidConfigurationError } from './errors.ts';

/** Powertools log levels (https://docs.powertools.aws.dev/lambda/typescript/latest/core/logger/#log-levels). */
export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** What a tenant's secret holds (the function's TENANT_CREDENTIALS). */
export type TenantCredentials = (typeof TENANT_CREDENTIAL_SETTING.values)[number];

/**
 * The main account's subaccount limit the capacity alarm compares against: the reconcile
 * function's own rule. Twilio's default is 1000; a raised limit is whatever Twilio support set.
 */
export const SUBACCOUNT_LIMIT_SETTING = INTEGER_SETTINGS.subaccountLimit;

/** Live subaccounts, in percent of the limit, that raise the capacity alarm. */
export const CAPACITY_ALARM_PERCENT_SETTING = {
  min: 1,
  max: 100,
  default: 80,
} as const satisfies IntegerSetting;

/** The deploy-time configuration of the stack, validated once at synth. */
export interface ProvisionerConfig {
  /** Secrets Manager name prefix of tenant secrets (`PREFIX/tenantId`). @default 'tenants' */
  readonly secretPrefix: string;
  /** Name or ARN of the existing secret holding the main account credentials. @default 'subaccount-provisioner/parent-credentials' */
  readonly parentCredentialsSecret: string;
  /** Maximum concurrent function instances the SQS event source may invoke. @default 5 */
  readonly maxConcurrency: number;
  /** Receives before a message moves to the dead-letter queue. @default 5 */
  readonly maxReceiveCount: number;
  /** Email address subscribed to alarm notifications. @default - no topic, alarms only */
  readonly alarmEmail?: string;
  /** Retention of both functions' log groups. @default RetentionDays.ONE_MONTH */
  readonly logRetentionDays: RetentionDays;
  /** ARN of an existing customer-managed KMS key for tenant secrets. @default - AWS managed key */
  readonly kmsKeyArn?: string;
  /** Create a customer-managed KMS key for tenant secrets. @default false */
  readonly createKmsKey: boolean;
  /** Name of the event bus the tenant rule listens on. @default 'default' */
  readonly eventBusName: string;
  /** Forward `tenant.*` events from the bus to the queue. @default true */
  readonly eventBridgeRule: boolean;
  /** Twilio FriendlyName template, `{tenantId}` exactly once. @default 'tenant:{tenantId}' */
  readonly friendlyNameTemplate: string;
  /** Days a churned tenant's secret stays recoverable. @default 30 */
  readonly secretRecoveryWindowDays: number;
  /** Powertools log level of both functions. @default 'INFO' */
  readonly logLevel: LogLevel;
  /** EventBridge schedule expression of the reconcile run. @default 'rate(1 day)' */
  readonly reconcileSchedule: string;
  /** Timeout of both functions, in seconds. @default 30 */
  readonly functionTimeoutSeconds: number;
  /** Memory of both functions, in MiB. @default 512 */
  readonly memoryMiB: number;
  /** Age of the oldest queued message that raises an alarm, in seconds. @default 300 */
  readonly queueAgeAlarmSeconds: number;
  /** Seconds an unanswered subaccount create must age before another create may be tried. @default 60 */
  readonly createSettleSeconds: number;
  /** Seconds an event's occurredAt may lie ahead of now before it is refused as from the future. @default 300 */
  readonly maxClockSkewSeconds: number;
  /** Name or ARN of the event bus the lifecycle function publishes outcome events to. @default 'default' */
  readonly outcomeEventBus: string;
  /** Days from a churn to the close of the subaccount (0..90, fractions allowed); 0 closes at once. @default 0 */
  readonly churnGraceDays: number;
  /** EventBridge schedule expression of the close sweep. @default 'rate(1 hour)' */
  readonly closeSweepSchedule: string;
  /** What a tenant's secret holds: 'auth-token', 'api-key' or 'both'. @default 'auth-token' */
  readonly tenantCredentials: TenantCredentials;
  /** The main account's subaccount limit, reported by the reconcile run. @default 1000 */
  readonly subaccountLimit: number;
  /** Live subaccounts, in percent of subaccountLimit, that raise the capacity alarm. @default 80 */
  readonly capacityAlarmPercent: number;
  /** X-Ray active tracing of the three functions and the EventBridge router. @default true */
  readonly tracing: boolean;
}

export const DEFAULT_CONFIG = {
  secretPrefix: DEFAULT_SECRET_PREFIX,
  parentCredentialsSecret: 'subaccount-provisioner/parent-credentials',
  maxConcurrency: 5,
  maxReceiveCount: 5,
  logRetentionDays: RetentionDays.ONE_MONTH,
  createKmsKey: false,
  eventBusName: 'default',
  eventBridgeRule: true,
  friendlyNameTemplate: DEFAULT_FRIENDLY_NAME_TEMPLATE,
  secretRecoveryWindowDays: INTEGER_SETTINGS.secretRecoveryWindowDays.default,
  logLevel: 'INFO',
  reconcileSchedule: 'rate(1 day)',
  functionTimeoutSeconds: 30,
  memoryMiB: 512,
  queueAgeAlarmSeconds: 300,
  createSettleSeconds: INTEGER_SETTINGS.createSettleSeconds.default,
  maxClockSkewSeconds: INTEGER_SETTINGS.maxClockSkewSeconds.default,
  outcomeEventBus: DEFAULT_OUTCOME_EVENT_BUS,
  churnGraceDays: CHURN_GRACE_DAYS.default,
  closeSweepSchedule: 'rate(1 hour)',
  tenantCredentials: TENANT_CREDENTIAL_SETTING.default,
  subaccountLimit: SUBACCOUNT_LIMIT_SETTING.default,
  capacityAlarmPercent: CAPACITY_ALARM_PERCENT_SETTING.default,
  tracing: true,
} as const satisfies Omit<ProvisionerConfig, 'alarmEmail' | 'kmsKeyArn'>;

/** Every context key the stack reads. */
export type ConfigKey = keyof ProvisionerConfig;

type Parsed<T> = { readonly value: T } | { readonly problem: string };
type Parser<T> = (raw: unknown) => Parsed<T>;

// `-c key=value` always arrives as a string while cdk.json can hold numbers and booleans,
// so every parser accepts both shapes.
const integerIn =
  (min: number, max: number): Parser<number> =>
  (raw) => {
    const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
    const value = /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
    return Number.isSafeInteger(value) && value >= min && value <= max
      ? { value }
      : { problem: `must be an integer ${min}..${max}` };
  };

const booleanFlag: Parser<boolean> = (raw) => {
  if (raw === true || raw === 'true') return { value: true };
  if (raw === false || raw === 'false') return { value: false };
  return { problem: 'must be true or false' };
};

const matching =
  (pattern: RegExp, expectation: string): Parser<string> =>
  (raw) =>
    typeof raw === 'string' && pattern.test(raw) ? { value: raw } : { problem: `must be ${expectation}` };

const oneOf =
  <T extends string>(allowed: readonly T[]): Parser<T> =>
  (raw) => {
    const upper = typeof raw === 'string' ? raw.toUpperCase() : '';
    const found = allowed.find((candidate) => candidate === upper);
    return found === undefined ? { problem: `must be one of ${allowed.join(', ')}` } : { value: found };
  };

const RETENTION_VALUES = Object.values(RetentionDays).filter((v): v is number => typeof v === 'number');

const retentionDays: Parser<RetentionDays> = (raw) => {
  const parsed = integerIn(1, Number.MAX_SAFE_INTEGER)(raw);
  return 'value' in parsed && RETENTION_VALUES.includes(parsed.value)
    ? { value: parsed.value as RetentionDays }
    : { problem: `must be a CloudWatch Logs retention (${RETENTION_VALUES.join(', ')})` };
};

// Secrets Manager names allow letters, digits and /_+=.@- (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html).
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;

/** A string checked by one rule of shared/config/settings.ts, the rules the functions apply. */
const ruled =
  (rule: Rule): Parser<string> =>
  (raw) => {
    if (typeof raw !== 'string') return { problem: 'must be a string' };
    const problems = rule(raw);
    return problems.length === 0 ? { value: raw } : { problem: problems.join('; ') };
  };

/** An integer with the range the functions enforce at cold start. */
const integerSetting = (setting: IntegerSetting): Parser<number> => integerIn(setting.min, setting.max);

/** One of the credential kinds the function accepts, checked by its own rule. */
const tenantCredentials: Parser<TenantCredentials> = (raw) => {
  const parsed = ruled(tenantCredentialsProblems)(raw);
  return 'value' in parsed ? { value: parsed.value as TenantCredentials } : parsed;
};

// A decimal number of days (`-c` gives strings like "0.5"), then the function's own range rule.
const churnGraceDays: Parser<number> = (raw) => {
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  const value = typeof raw === 'number' ? raw : /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  const problems = churnGraceDaysProblems(value);
  return problems.length === 0 ? { value } : { problem: problems.join('; ') };
};

const secretNameOrArn: Parser<string> = (raw) =>
  typeof raw === 'string' && (raw.startsWith('arn:') ? SECRET_ARN.test(raw) : SECRET_NAME.test(raw))
    ? { value: raw }
    : { problem: 'must be a Secrets Manager secret name or ARN' };

const RATE_UNITS = ['minute', 'hour', 'day'] as const;

// Rate expressions need the singular unit for 1 and the plural otherwise
// (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html).
const scheduleExpression: Parser<string> = (raw) => {
  const text = typeof raw === 'string' ? raw.trim() : '';
  const rate = /^rate\((\d+) ([a-z]+)\)$/.exec(text);
  const validRate =
    rate !== null &&
    Number(rate[1]) >= 1 &&
    RATE_UNITS.some((unit) => rate[2] === (Number(rate[1]) === 1 ? unit : `${unit}s`));
  return validRate || /^cron\([^()]+\)$/.test(text)
    ? { value: text }
    : { problem: "must be an EventBridge schedule expression such as 'rate(1 day)' or 'cron(0 3 * * ? *)'" };
};

const PARSERS = {
  secretPrefix: ruled(secretPrefixProblems),
  parentCredentialsSecret: secretNameOrArn,
  // SQS event sources accept a maximum concurrency of 2..1000 (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html).
  maxConcurrency: integerIn(2, 1000),
  maxReceiveCount: integerIn(1, 1000),
  alarmEmail: matching(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'an email address'),
  logRetentionDays: retentionDays,
  kmsKeyArn: matching(
    /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/,
    'a KMS key ARN (not an alias)',
  ),
  createKmsKey: booleanFlag,
  eventBusName: matching(/^[A-Za-z0-9._/-]{1,256}$/, 'an event bus name'),
  eventBridgeRule: booleanFlag,
  friendlyNameTemplate: ruled(friendlyNameTemplateProblems),
  secretRecoveryWindowDays: integerSetting(INTEGER_SETTINGS.secretRecoveryWindowDays),
  logLevel: oneOf(LOG_LEVELS),
  reconcileSchedule: scheduleExpression,
  functionTimeoutSeconds: integerIn(1, 900),
  memoryMiB: integerIn(128, 10_240),
  queueAgeAlarmSeconds: integerIn(60, 1_209_600),
  // The functions' own rules, so a value they would refuse stops synth instead of every invocation.
  createSettleSeconds: integerSetting(INTEGER_SETTINGS.createSettleSeconds),
  maxClockSkewSeconds: integerSetting(INTEGER_SETTINGS.maxClockSkewSeconds),
  outcomeEventBus: ruled(eventBusProblems),
  churnGraceDays,
  closeSweepSchedule: scheduleExpression,
  tenantCredentials,
  subaccountLimit: integerSetting(SUBACCOUNT_LIMIT_SETTING),
  capacityAlarmPercent: integerSetting(CAPACITY_ALARM_PERCENT_SETTING),
  tracing: booleanFlag,
} satisfies { [K in ConfigKey]-?: Parser<NonNullable<ProvisionerConfig[K]>> };

const show = (raw: unknown): string => JSON.stringify(raw) ?? String(raw);

/**
 * Validates raw context values (numbers, booleans or the strings `-c` produces) and fills in
 * defaults. Throws one {@link InvalidConfigurationError} naming every invalid key.
 */
export const parseConfig = (context: Readonly<Partial<Record<ConfigKey, unknown>>>): ProvisionerConfig => {
  const problems: ConfigProblem[] = [];
  const read = <K extends ConfigKey>(key: K): NonNullable<ProvisionerConfig[K]> | undefined => {
    const raw = context[key];
    if (raw === undefined || raw === null || raw === '') return undefined;
    const parsed = (PARSERS[key] as Parser<NonNullable<ProvisionerConfig[K]>>)(raw);
    if ('value' in parsed) return parsed.value;
    problems.push({ key, message: `${parsed.problem} (got ${show(raw)})` });
    return undefined;
  };

  const config: ProvisionerConfig = {
    secretPrefix: read('secretPrefix') ?? DEFAULT_CONFIG.secretPrefix,
    parentCredentialsSecret: read('parentCredentialsSecret') ?? DEFAULT_CONFIG.parentCredentialsSecret,
    maxConcurrency: read('maxConcurrency') ?? DEFAULT_CONFIG.maxConcurrency,
    maxReceiveCount: read('maxReceiveCount') ?? DEFAULT_CONFIG.maxReceiveCount,
    alarmEmail: read('alarmEmail'),
    logRetentionDays: read('logRetentionDays') ?? DEFAULT_CONFIG.logRetentionDays,
    kmsKeyArn: read('kmsKeyArn'),
    createKmsKey: read('createKmsKey') ?? DEFAULT_CONFIG.createKmsKey,
    eventBusName: read('eventBusName') ?? DEFAULT_CONFIG.eventBusName,
    eventBridgeRule: read('eventBridgeRule') ?? DEFAULT_CONFIG.eventBridgeRule,
    friendlyNameTemplate: read('friendlyNameTemplate') ?? DEFAULT_CONFIG.friendlyNameTemplate,
    secretRecoveryWindowDays: read('secretRecoveryWindowDays') ?? DEFAULT_CONFIG.secretRecoveryWindowDays,
    logLevel: read('logLevel') ?? DEFAULT_CONFIG.logLevel,
    reconcileSchedule: read('reconcileSchedule') ?? DEFAULT_CONFIG.reconcileSchedule,
    functionTimeoutSeconds: read('functionTimeoutSeconds') ?? DEFAULT_CONFIG.functionTimeoutSeconds,
    memoryMiB: read('memoryMiB') ?? DEFAULT_CONFIG.memoryMiB,
    queueAgeAlarmSeconds: read('queueAgeAlarmSeconds') ?? DEFAULT_CONFIG.queueAgeAlarmSeconds,
    createSettleSeconds: read('createSettleSeconds') ?? DEFAULT_CONFIG.createSettleSeconds,
    maxClockSkewSeconds: read('maxClockSkewSeconds') ?? DEFAULT_CONFIG.maxClockSkewSeconds,
    outcomeEventBus: read('outcomeEventBus') ?? DEFAULT_CONFIG.outcomeEventBus,
    churnGraceDays: read('churnGraceDays') ?? DEFAULT_CONFIG.churnGraceDays,
    closeSweepSchedule: read('closeSweepSchedule') ?? DEFAULT_CONFIG.closeSweepSchedule,
    tenantCredentials: read('tenantCredentials') ?? DEFAULT_CONFIG.tenantCredentials,
    subaccountLimit: read('subaccountLimit') ?? DEFAULT_CONFIG.subaccountLimit,
    capacityAlarmPercent: read('capacityAlarmPercent') ?? DEFAULT_CONFIG.capacityAlarmPercent,
    tracing: read('tracing') ?? DEFAULT_CONFIG.tracing,
  };

  if (config.kmsKeyArn !== undefined && config.createKmsKey) {
    problems.push({ key: 'createKmsKey', message: 'cannot be true when kmsKeyArn is set (choose one key)' });
  }
  if (problems.length > 0) throw new InvalidConfigurationError(problems);
  return config;
};

const CONFIG_KEYS = Object.keys(PARSERS) as ConfigKey[];

/** Reads and validates the configuration from the CDK context of `scope` (cdk.json or `-c key=value`). */
export const readConfig = (scope: IConstruct): ProvisionerConfig =>
  parseConfig(Object.fromEntries(CONFIG_KEYS.map((key) => [key, scope.node.tryGetContext(key)])));
