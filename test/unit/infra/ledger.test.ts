import { describe, expect, it } from 'vitest';
import { ENV } from '../../../shared/contracts/env-names.ts';
import { LEDGER_PARTITION_KEY, LEDGER_TABLE_DEFINITION } from '../../../shared/ledger/table-definition.ts';
import { resourceOf, synthStack } from './synth.ts';

const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('tenant ledger table', () => {
  const { template } = synthStack();
  const table = resourceOf(template, 'AWS::DynamoDB::Table', 'TenantLedgerTable');

  it('is the one table, keyed exactly as the shared definition the local cloud uses', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    const { KeySchema, AttributeDefinitions, BillingMode } = table.properties;
    expect({ KeySchema, AttributeDefinitions, BillingMode }).toEqual(LEDGER_TABLE_DEFINITION);
    expect(KeySchema).toEqual([{ AttributeName: LEDGER_PARTITION_KEY, KeyType: 'HASH' }]);
    expect(LEDGER_PARTITION_KEY).toBe('tenantId');
  });

  it('is on-demand, with point-in-time recovery and deletion protection', () => {
    expect(table.properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
    });
    // CloudFormation names it: no fixed name to collide with on a second deployment.
    expect(table.properties.TableName).toBeUndefined();
    expect(table.properties.ProvisionedThroughput).toBeUndefined();
  });

  it('is retained when the stack is deleted or the table replaced', () => {
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('uses the AWS managed key aws/dynamodb when the stack has no key of its own', () => {
    // SSEEnabled without a key id is SSE-KMS with aws/dynamodb; an absent SSESpecification would be the AWS owned key.
    expect(table.properties.SSESpecification).toEqual({ SSEEnabled: true });
  });

  it("uses the stack's created customer-managed key", () => {
    const custom = synthStack({ createKmsKey: 'true' }).template;
    const key = resourceOf(custom, 'AWS::KMS::Key', 'TenantSecretsEncryptionKey');
    expect(
      resourceOf(custom, 'AWS::DynamoDB::Table', 'TenantLedgerTable').properties.SSESpecification,
    ).toEqual({
      SSEEnabled: true,
      SSEType: 'KMS',
      KMSMasterKeyId: { 'Fn::GetAtt': [key.id, 'Arn'] },
    });
    // One key for the stack: the ledger does not get a second one.
    custom.resourceCountIs('AWS::KMS::Key', 1);
    expect(key.properties.Description).toBe(
      'Encrypts tenant secrets under tenants/ and the tenant ledger table',
    );
  });

  it('uses a configured existing key by ARN', () => {
    const custom = synthStack({ kmsKeyArn: KEY_ARN }).template;
    expect(
      resourceOf(custom, 'AWS::DynamoDB::Table', 'TenantLedgerTable').properties.SSESpecification,
    ).toEqual({
      SSEEnabled: true,
      SSEType: 'KMS',
      KMSMasterKeyId: KEY_ARN,
    });
  });

  it('is named to all three functions through TENANT_LEDGER_TABLE and in the stack outputs', () => {
    for (const prefix of [
      'TenantEventsFunctionHandlerFunction',
      'ReconcileHandlerFunction',
      'CloseSweepHandlerFunction',
    ]) {
      const fn = resourceOf(template, 'AWS::Lambda::Function', prefix);
      expect((fn.properties.Environment as { Variables: Record<string, unknown> }).Variables).toMatchObject({
        [ENV.tenantLedgerTable]: { Ref: table.id },
      });
    }
    expect(template.findOutputs('TenantLedgerTableName').TenantLedgerTableName?.Value).toEqual({
      Ref: table.id,
    });
  });
});
