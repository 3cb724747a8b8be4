/**
 * The tenant ledger's table shape, written once: the CDK stack deploys it and the local cloud
 * creates the same table in dynalite, so the two can never disagree.
 * One item per tenant, partition key `tenantId`; every write is a conditional expression.
 */
export const LEDGER_PARTITION_KEY = 'tenantId';

export const LEDGER_TABLE_DEFINITION = {
  KeySchema: [{ AttributeName: LEDGER_PARTITION_KEY, KeyType: 'HASH' }],
  AttributeDefinitions: [{ AttributeName: LEDGER_PARTITION_KEY, AttributeType: 'S' }],
  BillingMode: 'PAY_PER_REQUEST',
} as const;

/** The table name the local cloud uses (the stack lets CloudFormation name it). */
export const LOCAL_LEDGER_TABLE_NAME = 'subaccount-provisioner-tenant-ledger';
