import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { readCloseSweepConfig } from '../../../functions/close-sweep/config.ts';
import { readReconcileConfig } from '../../../functions/reconcile/config.ts';
import { readTenantEventsConfig } from '../../../functions/tenant-events/config.ts';
import { ENV } from '../../../shared/contracts/env-names.ts';
import { METRICS_NAMESPACE, SERVICE } from '../../../shared/contracts/metric-names.ts';
import { resourceOf, synthStack } from './synth.ts';

describe('functions', () => {
  const { template } = synthStack();
  const tenantEvents = resourceOf(template, 'AWS::Lambda::Function', 'TenantEventsFunctionHandlerFunction');
  const reconcile = resourceOf(template, 'AWS::Lambda::Function', 'ReconcileHandlerFunction');
  const closeSweep = resourceOf(template, 'AWS::Lambda::Function', 'CloseSweepHandlerFunction');
  const dlq = resourceOf(template, 'AWS::SQS::Queue', 'TenantEventsDeadLetterQueue');
  const queue = resourceOf(template, 'AWS::SQS::Queue', 'TenantEventsQueue');
  const ledger = resourceOf(template, 'AWS::DynamoDB::Table', 'TenantLedgerTable');

  it('are exactly the three handlers', () => {
    template.resourceCountIs('AWS::Lambda::Function', 3);
  });

  it.each([
    ['tenant-events', tenantEvents],
    ['reconcile', reconcile],
    ['close-sweep', closeSweep],
  ])('%s runs on Node.js 24 / arm64 with the exported handler', (_name, fn) => {
    expect(fn.properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 512,
    });
  });

  const sharedEnvironment = {
    [ENV.secretPrefix]: 'tenants',
    [ENV.parentCredentialsSecret]: 'subaccount-provisioner/parent-credentials',
    [ENV.deadLetterQueueUrl]: { Ref: dlq.id },
    [ENV.friendlyNameTemplate]: 'tenant:{tenantId}',
    [ENV.secretRecoveryWindowDays]: '30',
    [ENV.tenantLedgerTable]: { Ref: ledger.id },
    [ENV.createSettleSeconds]: '60',
    [ENV.maxClockSkewSeconds]: '300',
    NODE_OPTIONS: '--enable-source-maps',
    POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    POWERTOOLS_LOG_LEVEL: 'INFO',
  };

  it('give each function its environment from the shared ENV names', () => {
    expect(tenantEvents.properties.Environment).toEqual({
      Variables: {
        ...sharedEnvironment,
        [ENV.outcomeEventBus]: 'default',
        [ENV.tenantCredentials]: 'auth-token',
        [ENV.churnGraceDays]: '0',
        POWERTOOLS_SERVICE_NAME: SERVICE.tenantEvents,
      },
    });
    expect(reconcile.properties.Environment).toEqual({
      Variables: {
        ...sharedEnvironment,
        [ENV.subaccountLimit]: '1000',
        POWERTOOLS_SERVICE_NAME: SERVICE.reconcile,
      },
    });
  });

  it('gives the close sweep the ledger and the queue only: no secret, no Twilio setting', () => {
    expect(closeSweep.properties.Environment).toEqual({
      Variables: {
        [ENV.tenantLedgerTable]: { Ref: ledger.id },
        [ENV.tenantEventsQueueUrl]: { Ref: queue.id },
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: SERVICE.closeSweep,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
      },
    });
  });

  it('passes configured values through', () => {
    const custom = synthStack({
      secretPrefix: 'acme/tenants',
      parentCredentialsSecret: 'acme/twilio-main',
      friendlyNameTemplate: 'acme:{tenantId}',
      secretRecoveryWindowDays: '7',
      createSettleSeconds: '0',
      maxClockSkewSeconds: '30',
      logLevel: 'warn',
      memoryMiB: '1024',
      outcomeEventBus: 'saas-outcomes',
      tenantCredentials: 'both',
      churnGraceDays: '14.5',
      subaccountLimit: '2500',
    }).template;
    const fn = resourceOf(custom, 'AWS::Lambda::Function', 'TenantEventsFunctionHandlerFunction');
    expect(fn.properties.MemorySize).toBe(1024);
    expect(
      (
        resourceOf(custom, 'AWS::Lambda::Function', 'ReconcileHandlerFunction').properties.Environment as {
          Variables: Record<string, unknown>;
        }
      ).Variables,
    ).toMatchObject({ [ENV.subaccountLimit]: '2500' });
    expect((fn.properties.Environment as { Variables: Record<string, unknown> }).Variables).toMatchObject({
      [ENV.secretPrefix]: 'acme/tenants',
      [ENV.parentCredentialsSecret]: 'acme/twilio-main',
      [ENV.friendlyNameTemplate]: 'acme:{tenantId}',
      [ENV.secretRecoveryWindowDays]: '7',
      [ENV.createSettleSeconds]: '0',
      [ENV.maxClockSkewSeconds]: '30',
      [ENV.outcomeEventBus]: 'saas-outcomes',
      [ENV.tenantCredentials]: 'both',
      [ENV.churnGraceDays]: '14.5',
      POWERTOOLS_LOG_LEVEL: 'WARN',
    });
  });

  describe('the environment the stack sets is one each function accepts, with the configured values', () => {
    // Tokens stand for resources CloudFormation names at deploy time; give them valid stand-ins.
    const deployed = (fn: { properties: Record<string, unknown> }): Record<string, string> =>
      Object.fromEntries(
        Object.entries((fn.properties.Environment as { Variables: Record<string, unknown> }).Variables).map(
          ([name, value]) => [
            name,
            typeof value === 'string'
              ? value
              : name.endsWith('_URL')
                ? 'https://sqs.eu-west-1.amazonaws.com/123456789012/q.fifo'
                : 'ledger-table',
          ],
        ),
      );
    const custom = synthStack({
      outcomeEventBus: 'arn:aws:events:eu-west-1:123456789012:event-bus/saas-outcomes',
      tenantCredentials: 'api-key',
      churnGraceDays: '0.001',
    }).template;
    const fnOf = (prefix: string) => resourceOf(custom, 'AWS::Lambda::Function', prefix);

    it('tenant-events', () => {
      expect(readTenantEventsConfig(deployed(fnOf('TenantEventsFunctionHandlerFunction')))).toMatchObject({
        [ENV.outcomeEventBus]: 'arn:aws:events:eu-west-1:123456789012:event-bus/saas-outcomes',
        [ENV.tenantCredentials]: 'api-key',
        [ENV.churnGraceDays]: 0.001,
      });
    });

    it('reconcile', () => {
      expect(() => readReconcileConfig(deployed(fnOf('ReconcileHandlerFunction')))).not.toThrow();
    });

    it('close-sweep', () => {
      expect(readCloseSweepConfig(deployed(fnOf('CloseSweepHandlerFunction')))).toEqual({
        [ENV.tenantLedgerTable]: 'ledger-table',
        [ENV.tenantEventsQueueUrl]: 'https://sqs.eu-west-1.amazonaws.com/123456789012/q.fifo',
      });
    });
  });

  it('sets SECRETS_KMS_KEY_ID only when a key is configured', () => {
    const variables = (tenantEvents.properties.Environment as { Variables: Record<string, unknown> })
      .Variables;
    expect(variables[ENV.secretsKmsKeyId]).toBeUndefined();
    const keyArn = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    synthStack({ kmsKeyArn: keyArn }).template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [ENV.secretsKmsKeyId]: keyArn }) },
    });
    const created = synthStack({ createKmsKey: 'true' }).template;
    const key = resourceOf(created, 'AWS::KMS::Key', 'TenantSecretsEncryptionKey');
    created.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ [ENV.secretsKmsKeyId]: { 'Fn::GetAtt': [key.id, 'Arn'] } }),
      },
    });
  });

  it('uses the configured timeout for the lifecycle function and a longer one for the scheduled runs', () => {
    expect(tenantEvents.properties.Timeout).toBe(30);
    expect(reconcile.properties.Timeout).toBe(300);
    expect(closeSweep.properties.Timeout).toBe(300);
  });

  it('writes each function to its own log group with the configured retention', () => {
    // One per function, and the EventBridge router's execution log.
    template.resourceCountIs('AWS::Logs::LogGroup', 4);
    for (const [fn, prefix] of [
      [tenantEvents, 'TenantEventsFunctionHandlerLogGroup'],
      [reconcile, 'ReconcileHandlerLogGroup'],
      [closeSweep, 'CloseSweepHandlerLogGroup'],
    ] as const) {
      const logGroup = resourceOf(template, 'AWS::Logs::LogGroup', prefix);
      template.hasResource('AWS::Logs::LogGroup', {
        Properties: logGroup.properties,
        DeletionPolicy: 'Retain',
      });
      expect(logGroup.properties.RetentionInDays).toBe(30);
      expect(fn.properties.LoggingConfig).toEqual({ LogGroup: { Ref: logGroup.id } });
    }
    const custom = synthStack({ logRetentionDays: '90' }).template;
    expect(
      Object.values(custom.findResources('AWS::Logs::LogGroup')).map((r) => r.Properties.RetentionInDays),
    ).toEqual([90, 90, 90, 90]);
  });

  it('consumes the queue in batches of 10, reporting item failures, with bounded concurrency', () => {
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queue.id, 'Arn'] },
      FunctionName: { Ref: tenantEvents.id },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 5 },
    });
    synthStack({ maxConcurrency: '50' }).template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      ScalingConfig: { MaximumConcurrency: 50 },
    });
  });

  it('runs reconcile on a daily schedule by default, or the configured one', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 day)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [reconcile.id, 'Arn'] } })],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [reconcile.id, 'Arn'] },
    });
    synthStack({ reconcileSchedule: 'cron(0 3 * * ? *)' }).template.hasResourceProperties(
      'AWS::Events::Rule',
      {
        ScheduleExpression: 'cron(0 3 * * ? *)',
      },
    );
  });

  it('runs the close sweep hourly by default, or on the configured schedule', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 hour)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [closeSweep.id, 'Arn'] } })],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [closeSweep.id, 'Arn'] },
    });
    const custom = synthStack({ closeSweepSchedule: 'rate(15 minutes)' }).template;
    custom.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(15 minutes)',
      Targets: [
        Match.objectLike({
          Arn: {
            'Fn::GetAtt': [
              resourceOf(custom, 'AWS::Lambda::Function', 'CloseSweepHandlerFunction').id,
              'Arn',
            ],
          },
        }),
      ],
    });
  });

  it('creates the close sweep whatever the grace period: closes scheduled under an earlier setting still come due', () => {
    for (const churnGraceDays of ['0', '30']) {
      const custom = synthStack({ churnGraceDays }).template;
      expect(() => resourceOf(custom, 'AWS::Lambda::Function', 'CloseSweepHandlerFunction')).not.toThrow();
    }
  });

  it('is fed only by its schedule: no event source, nothing else may invoke it', () => {
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'));
    expect(mappings.map((m) => m.Properties.FunctionName)).toEqual([{ Ref: tenantEvents.id }]);
    const invokers = Object.values(template.findResources('AWS::Lambda::Permission'))
      .filter((p) => JSON.stringify(p.Properties.FunctionName).includes(closeSweep.id))
      .map((p) => p.Properties.Principal);
    expect(invokers).toEqual(['events.amazonaws.com']);
  });
});
