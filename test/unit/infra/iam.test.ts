import { describe, expect, it } from 'vitest';
import {
  LEDGER_CLOSE_SWEEP_ACTIONS,
  LEDGER_EVENT_PROCESSING_ACTIONS,
  LEDGER_RECONCILE_ACTIONS,
} from '../../../infra/constructs/tenant-ledger.ts';
import { TENANT_SECRET_LIFECYCLE_ACTIONS } from '../../../infra/constructs/tenant-secrets.ts';
import {
  actionsOf,
  allPolicyStatements,
  renderArn,
  resourceOf,
  roleStatements,
  type Statement,
  synthStack,
} from './synth.ts';

const ARN_PREFIX = 'arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:';
const PARENT_PATTERN = `${ARN_PREFIX}subaccount-provisioner/parent-credentials-??????`;
const TENANT_PATTERN = `${ARN_PREFIX}tenants/*`;
const DEFAULT_BUS = 'arn:<AWS::Partition>:events:<AWS::Region>:<AWS::AccountId>:event-bus/default';
/** What Lambda's active tracing adds to a function's role. */
const XRAY = { actions: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], resource: '*' };

/** A statement as `{ actions, resource }` with ARNs rendered readable. */
const summarize = (statement: Statement) => ({
  actions: [...actionsOf(statement)].sort(),
  resource: renderArn(statement.Resource),
  ...(statement.Condition === undefined ? {} : { condition: statement.Condition }),
});

describe('IAM', () => {
  const { template } = synthStack();
  const logGroupArn = (prefix: string) => ({
    'Fn::GetAtt': [resourceOf(template, 'AWS::Logs::LogGroup', prefix).id, 'Arn'],
  });
  const queueArn = (prefix: string) => ({
    'Fn::GetAtt': [resourceOf(template, 'AWS::SQS::Queue', prefix).id, 'Arn'],
  });
  const ledgerArn = JSON.stringify({
    'Fn::GetAtt': [resourceOf(template, 'AWS::DynamoDB::Table', 'TenantLedgerTable').id, 'Arn'],
  });

  it('grants the lifecycle function exactly what it uses', () => {
    expect(roleStatements(template, 'TenantEventsFunctionHandlerRole').map(summarize)).toEqual([
      {
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resource: JSON.stringify(logGroupArn('TenantEventsFunctionHandlerLogGroup')),
      },
      XRAY,
      {
        actions: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
        resource: PARENT_PATTERN,
      },
      { actions: [...TENANT_SECRET_LIFECYCLE_ACTIONS].sort(), resource: TENANT_PATTERN },
      {
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        resource: ledgerArn,
      },
      { actions: ['sqs:SendMessage'], resource: JSON.stringify(queueArn('TenantEventsDeadLetterQueue')) },
      { actions: ['events:PutEvents'], resource: DEFAULT_BUS },
      {
        actions: [
          'sqs:ChangeMessageVisibility',
          'sqs:DeleteMessage',
          'sqs:GetQueueAttributes',
          'sqs:GetQueueUrl',
          'sqs:ReceiveMessage',
        ],
        resource: JSON.stringify(queueArn('TenantEventsQueue')),
      },
    ]);
    expect([...TENANT_SECRET_LIFECYCLE_ACTIONS].sort()).toEqual([
      'secretsmanager:CreateSecret',
      'secretsmanager:DeleteSecret',
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
      'secretsmanager:PutSecretValue',
      'secretsmanager:RestoreSecret',
      'secretsmanager:TagResource',
      'secretsmanager:UntagResource',
      'secretsmanager:UpdateSecret',
    ]);
  });

  it('lets reconcile read parent credentials, the secret list and tenant secrets, and scan the ledger', () => {
    expect(roleStatements(template, 'ReconcileHandlerRole').map(summarize)).toEqual([
      {
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resource: JSON.stringify(logGroupArn('ReconcileHandlerLogGroup')),
      },
      XRAY,
      {
        actions: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
        resource: PARENT_PATTERN,
      },
      { actions: ['secretsmanager:ListSecrets'], resource: '*' },
      {
        actions: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
        resource: TENANT_PATTERN,
      },
      {
        actions: ['dynamodb:Scan'],
        resource: ledgerArn,
      },
    ]);
  });

  it('lets the close sweep scan the ledger and send to the tenant-event queue, nothing else', () => {
    expect(roleStatements(template, 'CloseSweepHandlerRole').map(summarize)).toEqual([
      {
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resource: JSON.stringify(logGroupArn('CloseSweepHandlerLogGroup')),
      },
      XRAY,
      { actions: ['dynamodb:Scan'], resource: ledgerArn },
      // SendMessageBatch is authorized as sqs:SendMessage.
      { actions: ['sqs:SendMessage'], resource: JSON.stringify(queueArn('TenantEventsQueue')) },
    ]);
  });

  describe('outcome events', () => {
    const putEventsOf = (context: Record<string, string>) =>
      allPolicyStatements(synthStack(context).template)
        .filter((s) => actionsOf(s).some((a) => a.startsWith('events:')))
        .map(summarize);

    it('lets only the lifecycle function PutEvents, on the default bus of its own account and region', () => {
      const statements = roleStatements(template, 'TenantEventsFunctionHandlerRole').filter((s) =>
        actionsOf(s).some((a) => a.startsWith('events:')),
      );
      expect(statements.map((s) => ({ action: s.Action, resource: renderArn(s.Resource) }))).toEqual([
        { action: 'events:PutEvents', resource: DEFAULT_BUS },
      ]);
      // No other role has any events: action (the router is started by the rule's own role).
      expect(putEventsOf({})).toEqual([{ actions: ['events:PutEvents'], resource: DEFAULT_BUS }]);
    });

    it('grants a configured bus name as that bus of the stack account and region', () => {
      expect(putEventsOf({ outcomeEventBus: 'saas-outcomes' })).toEqual([
        {
          actions: ['events:PutEvents'],
          resource: 'arn:<AWS::Partition>:events:<AWS::Region>:<AWS::AccountId>:event-bus/saas-outcomes',
        },
      ]);
    });

    it('grants a configured bus ARN exactly as given', () => {
      const arn = 'arn:aws:events:eu-west-1:123456789012:event-bus/saas-outcomes';
      expect(putEventsOf({ outcomeEventBus: arn })).toEqual([
        { actions: ['events:PutEvents'], resource: arn },
      ]);
    });

    it('is independent of the bus the tenant rule listens on', () => {
      expect(putEventsOf({ eventBusName: 'saas-platform' })).toEqual([
        { actions: ['events:PutEvents'], resource: DEFAULT_BUS },
      ]);
    });
  });

  it('gives the ledger item actions only: no Scan for the lifecycle function, no Query or DeleteItem for anyone', () => {
    expect([...LEDGER_EVENT_PROCESSING_ACTIONS].sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
    expect([...LEDGER_RECONCILE_ACTIONS]).toEqual(['dynamodb:Scan']);
    expect([...LEDGER_CLOSE_SWEEP_ACTIONS]).toEqual(['dynamodb:Scan']);
    const dynamoActionsOf = (rolePrefix: string) =>
      roleStatements(template, rolePrefix)
        .flatMap(actionsOf)
        .filter((a) => a.startsWith('dynamodb:'));
    expect(dynamoActionsOf('TenantEventsFunctionHandlerRole')).not.toContain('dynamodb:Scan');
    expect(new Set(dynamoActionsOf('ReconcileHandlerRole'))).toEqual(new Set(['dynamodb:Scan']));
    expect(new Set(dynamoActionsOf('CloseSweepHandlerRole'))).toEqual(new Set(['dynamodb:Scan']));
    const everyDynamoAction = allPolicyStatements(template)
      .flatMap(actionsOf)
      .filter((a) => a.startsWith('dynamodb:'));
    expect(new Set(everyDynamoAction)).toEqual(
      new Set([
        ...LEDGER_EVENT_PROCESSING_ACTIONS,
        ...LEDGER_RECONCILE_ACTIONS,
        ...LEDGER_CLOSE_SWEEP_ACTIONS,
      ]),
    );
    // Only the three functions touch the table, and only the table itself (no index, no stream).
    const onLedger = allPolicyStatements(template).filter((s) =>
      actionsOf(s).some((a) => a.startsWith('dynamodb:')),
    );
    expect(onLedger.map((s) => JSON.stringify(s.Resource))).toEqual([ledgerArn, ledgerArn, ledgerArn]);
  });

  it('has no wildcard action anywhere, and Resource "*" only where AWS has no resource-level permissions', () => {
    for (const context of [{}, { createKmsKey: 'true', alarmEmail: 'ops@example.com' }]) {
      const statements = allPolicyStatements(synthStack(context).template);
      expect(statements.flatMap(actionsOf).filter((action) => action.includes('*'))).toEqual([]);
      const onStar = statements.filter((s) => JSON.stringify(s.Resource).includes('"*"')).flatMap(actionsOf);
      expect(onStar.sort()).toEqual(
        [
          'secretsmanager:ListSecrets',
          // The EventBridge router's log delivery and X-Ray traces (Step Functions).
          'logs:CreateLogDelivery',
          'logs:DeleteLogDelivery',
          'logs:DescribeLogGroups',
          'logs:DescribeResourcePolicies',
          'logs:GetLogDelivery',
          'logs:ListLogDeliveries',
          'logs:PutResourcePolicy',
          'logs:UpdateLogDelivery',
          'xray:GetSamplingRules',
          'xray:GetSamplingTargets',
          'xray:PutTelemetryRecords',
          'xray:PutTraceSegments',
          // Lambda active tracing of the three functions.
          ...['tenant-events', 'reconcile', 'close-sweep'].flatMap(() => [
            'xray:PutTelemetryRecords',
            'xray:PutTraceSegments',
          ]),
        ].sort(),
      );
    }
  });

  it('writes no trace segments anywhere with tracing off', () => {
    const statements = allPolicyStatements(synthStack({ tracing: 'false' }).template);
    expect(statements.flatMap(actionsOf).filter((a) => a.startsWith('xray:'))).toEqual([]);
    const onStar = statements.filter((s) => JSON.stringify(s.Resource).includes('"*"')).flatMap(actionsOf);
    expect(onStar.filter((a) => !a.startsWith('logs:'))).toEqual(['secretsmanager:ListSecrets']);
  });

  it('uses no managed policies (no AWSLambdaBasicExecutionRole)', () => {
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('never creates the parent-credentials secret', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
  });

  it.each([
    [
      'a complete ARN exactly',
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:acme/parent-AbC123',
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:acme/parent-AbC123',
    ],
    [
      'a partial ARN with the random suffix pattern',
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:acme/parent',
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:acme/parent-??????',
    ],
    ['a name in this account and region', 'acme/parent', `${ARN_PREFIX}acme/parent-??????`],
  ])('grants the parent secret given as %s', (_label, configured, expected) => {
    const statements = roleStatements(
      synthStack({ parentCredentialsSecret: configured }).template,
      'TenantEventsFunctionHandlerRole',
    );
    const parent = statements.filter((s) => actionsOf(s).includes('secretsmanager:GetSecretValue'))[0]!;
    expect(renderArn(parent.Resource)).toBe(expected);
  });

  it('scopes tenant secrets to the configured prefix', () => {
    const statements = roleStatements(
      synthStack({ secretPrefix: 'acme/t' }).template,
      'TenantEventsFunctionHandlerRole',
    );
    const lifecycle = statements.find((s) => actionsOf(s).includes('secretsmanager:CreateSecret'))!;
    expect(renderArn(lifecycle.Resource)).toBe(`${ARN_PREFIX}acme/t/*`);
  });

  describe('customer-managed key for tenant secrets', () => {
    const viaSecretsManager = {
      StringEquals: {
        'kms:ViaService': { 'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
      },
    };
    const viaDynamoDb = {
      StringEquals: {
        'kms:ViaService': { 'Fn::Join': ['', ['dynamodb.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
      },
    };

    it('creates a rotated, retained key and grants its use through Secrets Manager and DynamoDB only', () => {
      const custom = synthStack({ createKmsKey: 'true' }).template;
      const key = resourceOf(custom, 'AWS::KMS::Key', 'TenantSecretsEncryptionKey');
      expect(key.properties.EnableKeyRotation).toBe(true);
      custom.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      const keyArn = JSON.stringify({ 'Fn::GetAtt': [key.id, 'Arn'] });
      const kmsOf = (rolePrefix: string) =>
        roleStatements(custom, rolePrefix)
          .filter((s) => actionsOf(s).some((a) => a.startsWith('kms:')))
          .map(summarize);
      // Secrets Manager asks for a data key per secret value; DynamoDB only decrypts the table key.
      expect(kmsOf('TenantEventsFunctionHandlerRole')).toEqual([
        { actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resource: keyArn, condition: viaSecretsManager },
        { actions: ['kms:Decrypt'], resource: keyArn, condition: viaDynamoDb },
      ]);
      expect(kmsOf('ReconcileHandlerRole')).toEqual([
        { actions: ['kms:Decrypt'], resource: keyArn, condition: viaSecretsManager },
        { actions: ['kms:Decrypt'], resource: keyArn, condition: viaDynamoDb },
      ]);
      // The sweep reads no secret: only DynamoDB may decrypt the table key on its behalf.
      expect(kmsOf('CloseSweepHandlerRole')).toEqual([
        { actions: ['kms:Decrypt'], resource: keyArn, condition: viaDynamoDb },
      ]);
    });

    it('grants an existing key by ARN without creating one', () => {
      const keyArn = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
      const custom = synthStack({ kmsKeyArn: keyArn }).template;
      custom.resourceCountIs('AWS::KMS::Key', 0);
      const kms = roleStatements(custom, 'TenantEventsFunctionHandlerRole').filter((s) =>
        actionsOf(s).includes('kms:Decrypt'),
      );
      expect(kms.map(summarize)).toEqual([
        { actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resource: keyArn, condition: viaSecretsManager },
        { actions: ['kms:Decrypt'], resource: keyArn, condition: viaDynamoDb },
      ]);
      expect(
        roleStatements(custom, 'CloseSweepHandlerRole')
          .filter((s) => actionsOf(s).some((a) => a.startsWith('kms:')))
          .map(summarize),
      ).toEqual([{ actions: ['kms:Decrypt'], resource: keyArn, condition: viaDynamoDb }]);
    });

    it('grants no KMS access without a customer-managed key', () => {
      expect(
        allPolicyStatements(template)
          .flatMap(actionsOf)
          .filter((a) => a.startsWith('kms:')),
      ).toEqual([]);
    });
  });
});
