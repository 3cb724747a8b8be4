import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseConfig } from '../../../infra/config.ts';
import { InvalidConfigurationError } from '../../../infra/errors.ts';
import { synthStack } from './synth.ts';

const problemsOf = (context: Record<string, unknown>): InvalidConfigurationError => {
  try {
    parseConfig(context);
  } catch (error) {
    if (error instanceof InvalidConfigurationError) return error;
    throw error;
  }
  throw new Error('expected an InvalidConfigurationError');
};

const keysRejected = (context: Record<string, unknown>): string[] =>
  problemsOf(context).problems.map((p) => p.key);

describe('parseConfig', () => {
  it('fills every default when nothing is set', () => {
    expect(parseConfig({})).toEqual({ ...DEFAULT_CONFIG, alarmEmail: undefined, kmsKeyArn: undefined });
    expect(DEFAULT_CONFIG.logRetentionDays).toBe(RetentionDays.ONE_MONTH);
  });

  it('parses the strings `-c key=value` produces', () => {
    const config = parseConfig({
      maxConcurrency: '20',
      maxReceiveCount: '3',
      createKmsKey: 'true',
      eventBridgeRule: 'false',
      logRetentionDays: '90',
      secretRecoveryWindowDays: '7',
      functionTimeoutSeconds: '60',
      memoryMiB: '1024',
      queueAgeAlarmSeconds: '600',
      createSettleSeconds: '0',
      maxClockSkewSeconds: '86400',
      logLevel: 'debug',
      alarmEmail: 'ops@example.com',
      outcomeEventBus: 'saas-outcomes',
      churnGraceDays: '0.5',
      closeSweepSchedule: 'rate(15 minutes)',
      tenantCredentials: 'api-key',
      subaccountLimit: '5000',
      capacityAlarmPercent: '90',
      tracing: 'false',
    });
    expect(config).toMatchObject({
      maxConcurrency: 20,
      maxReceiveCount: 3,
      createKmsKey: true,
      eventBridgeRule: false,
      logRetentionDays: RetentionDays.THREE_MONTHS,
      secretRecoveryWindowDays: 7,
      functionTimeoutSeconds: 60,
      memoryMiB: 1024,
      queueAgeAlarmSeconds: 600,
      createSettleSeconds: 0,
      maxClockSkewSeconds: 86_400,
      logLevel: 'DEBUG',
      alarmEmail: 'ops@example.com',
      outcomeEventBus: 'saas-outcomes',
      churnGraceDays: 0.5,
      closeSweepSchedule: 'rate(15 minutes)',
      tenantCredentials: 'api-key',
      subaccountLimit: 5000,
      capacityAlarmPercent: 90,
      tracing: false,
    });
  });

  it('accepts the numbers and booleans cdk.json holds', () => {
    expect(
      parseConfig({
        maxConcurrency: 2,
        eventBridgeRule: false,
        createKmsKey: true,
        churnGraceDays: 30,
        subaccountLimit: 1_000_000,
        capacityAlarmPercent: 100,
        tracing: false,
      }),
    ).toMatchObject({
      maxConcurrency: 2,
      eventBridgeRule: false,
      createKmsKey: true,
      churnGraceDays: 30,
      subaccountLimit: 1_000_000,
      capacityAlarmPercent: 100,
      tracing: false,
    });
  });

  it('treats an empty value as unset', () => {
    expect(parseConfig({ alarmEmail: '', maxConcurrency: '' })).toMatchObject({
      alarmEmail: undefined,
      maxConcurrency: 5,
    });
  });

  it('reports every problem in one error, naming each key and the value it got', () => {
    const error = problemsOf({ maxConcurrency: 'x', logRetentionDays: '31', secretRecoveryWindowDays: 60 });
    expect(error.code).toBe('INFRA_INVALID_CONFIGURATION');
    expect(error.retryable).toBe(false);
    const lines = error.message.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('Invalid configuration:');
    expect(lines[1]).toBe(' - maxConcurrency: must be an integer 2..1000 (got "x")');
    expect(lines[2]).toMatch(
      /^ - logRetentionDays: must be a CloudWatch Logs retention \(1, 3, 5, .*\) \(got "31"\)$/,
    );
    expect(lines[3]).toBe(' - secretRecoveryWindowDays: must be an integer 7..30 (got 60)');
    expect(error.problems.map((p) => p.key)).toEqual([
      'maxConcurrency',
      'logRetentionDays',
      'secretRecoveryWindowDays',
    ]);
  });

  it.each([
    ['maxConcurrency', '1'],
    ['maxConcurrency', '1001'],
    ['maxConcurrency', '2.5'],
    ['maxReceiveCount', '0'],
    ['secretRecoveryWindowDays', '6'],
    ['secretRecoveryWindowDays', '31'],
    ['functionTimeoutSeconds', '901'],
    ['memoryMiB', '64'],
    ['queueAgeAlarmSeconds', '10'],
    ['createSettleSeconds', '-1'],
    ['createSettleSeconds', '901'],
    ['createSettleSeconds', '1.5'],
    ['maxClockSkewSeconds', '0'],
    ['maxClockSkewSeconds', '86401'],
    ['createKmsKey', 'yes'],
    ['eventBridgeRule', '1'],
    ['logLevel', 'verbose'],
    ['alarmEmail', 'not-an-email'],
    ['kmsKeyArn', 'arn:aws:kms:eu-west-1:123456789012:alias/tenants'],
    ['secretPrefix', 'tenants/'],
    ['secretPrefix', 'ten ants'],
    ['secretPrefix', 'x'.repeat(201)],
    ['parentCredentialsSecret', 'arn:aws:s3:::bucket'],
    ['eventBusName', 'bus with spaces'],
    ['friendlyNameTemplate', 'tenant'],
    ['friendlyNameTemplate', '{tenantId}-{tenantId}'],
    ['friendlyNameTemplate', 'tenant-subaccount-for:{tenantId}'],
    ['friendlyNameTemplate', '{tenantId}{x}'],
    ['reconcileSchedule', 'daily'],
    ['reconcileSchedule', 'rate(1 days)'],
    ['reconcileSchedule', 'rate(2 day)'],
    ['outcomeEventBus', 'bus with spaces'],
    ['outcomeEventBus', 'arn:aws:sqs:eu-west-1:123456789012:queue'],
    ['outcomeEventBus', 'x'.repeat(257)],
    ['churnGraceDays', '-1'],
    ['churnGraceDays', '90.5'],
    ['churnGraceDays', 91],
    ['churnGraceDays', 'a week'],
    ['churnGraceDays', '1e1'],
    ['closeSweepSchedule', 'hourly'],
    ['closeSweepSchedule', 'rate(1 hours)'],
    ['tenantCredentials', 'API-KEY'],
    ['tenantCredentials', 'token'],
    ['subaccountLimit', '0'],
    ['subaccountLimit', '1000001'],
    ['subaccountLimit', '1000.5'],
    ['capacityAlarmPercent', '0'],
    ['capacityAlarmPercent', '101'],
    ['capacityAlarmPercent', '79.5'],
    ['tracing', 'on'],
  ])('rejects %s = %j', (key, value) => {
    expect(keysRejected({ [key]: value })).toEqual([key]);
  });

  it.each([
    ['reconcileSchedule', 'rate(12 hours)'],
    ['reconcileSchedule', 'cron(0 3 * * ? *)'],
    ['parentCredentialsSecret', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:parent-AbC123'],
    ['kmsKeyArn', 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'],
    ['friendlyNameTemplate', 'Acme reseller / {tenantId}'],
    ['outcomeEventBus', 'saas-outcomes'],
    ['outcomeEventBus', 'arn:aws:events:eu-west-1:123456789012:event-bus/saas-outcomes'],
    ['closeSweepSchedule', 'rate(1 day)'],
    ['closeSweepSchedule', 'cron(0 * * * ? *)'],
    ['tenantCredentials', 'auth-token'],
    ['tenantCredentials', 'both'],
  ])('accepts %s = %j', (key, value) => {
    expect(parseConfig({ [key]: value })).toMatchObject({ [key]: value });
  });

  it('defaults the ledger timings to what the function assumes without them', () => {
    expect(parseConfig({})).toMatchObject({ createSettleSeconds: 60, maxClockSkewSeconds: 300 });
  });

  it('defaults the new settings to what the functions assume without them', () => {
    expect(parseConfig({})).toMatchObject({
      outcomeEventBus: 'default',
      churnGraceDays: 0,
      closeSweepSchedule: 'rate(1 hour)',
      tenantCredentials: 'auth-token',
      subaccountLimit: 1000,
      capacityAlarmPercent: 80,
      tracing: true,
    });
  });

  it.each([
    ['0', 0],
    ['0.001', 0.001],
    ['7', 7],
    [' 14.25 ', 14.25],
    ['90', 90],
    [0.5, 0.5],
  ])('accepts churnGraceDays = %j as %d days (fractions allowed)', (raw, days) => {
    expect(parseConfig({ churnGraceDays: raw }).churnGraceDays).toBe(days);
  });

  it("reports a bad churnGraceDays with the function's own rule", () => {
    expect(problemsOf({ churnGraceDays: '120' }).problems).toEqual([
      { key: 'churnGraceDays', message: 'must be a number of days 0..90 (fractions allowed) (got "120")' },
    ]);
  });

  it('reports every new key with every old one in one error', () => {
    expect(
      keysRejected({
        maxConcurrency: '1',
        outcomeEventBus: 'no spaces allowed',
        churnGraceDays: '-1',
        closeSweepSchedule: 'often',
        tenantCredentials: 'password',
        subaccountLimit: '0',
        capacityAlarmPercent: '200',
        tracing: 'maybe',
      }),
    ).toEqual([
      'maxConcurrency',
      'outcomeEventBus',
      'churnGraceDays',
      'closeSweepSchedule',
      'tenantCredentials',
      'subaccountLimit',
      'capacityAlarmPercent',
      'tracing',
    ]);
  });

  it('accepts only CloudWatch Logs retention values', () => {
    expect(parseConfig({ logRetentionDays: '365' }).logRetentionDays).toBe(RetentionDays.ONE_YEAR);
    expect(keysRejected({ logRetentionDays: 364 })).toEqual(['logRetentionDays']);
  });

  it('refuses both an existing key and a new one', () => {
    expect(
      keysRejected({ kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/abcd', createKmsKey: 'true' }),
    ).toEqual(['createKmsKey']);
  });
});

describe('readConfig through the app context', () => {
  it('stops synth with the configuration error', () => {
    expect(() => synthStack({ maxReceiveCount: 'many', memoryMiB: '1' })).toThrow(
      /Invalid configuration:\n - maxReceiveCount: .*\n - memoryMiB: /,
    );
  });
});
