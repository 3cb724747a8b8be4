import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { LEDGER_PARTITION_KEY, LEDGER_TABLE_DEFINITION } from '../../shared/ledger/table-definition.ts';

export interface TenantLedgerProps {
  /**
   * Customer-managed key to encrypt the table with (the stack's tenant-secrets key, when one is
   * configured).
   * @default - the AWS managed key aws/dynamodb
   */
  readonly encryptionKey?: kms.IKey;
}

/** What the lifecycle function does to a tenant's item: read it, and write it conditionally. */
export const LEDGER_EVENT_PROCESSING_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
] as const;

/**
 * The scheduled reconcile run only reads every item (Scan); rebuilding missing items is the
 * operator's `tenants reconcile --repair`, run with the operator's own credentials.
 */
export const LEDGER_RECONCILE_ACTIONS = ['dynamodb:Scan'] as const;

/**
 * The close sweep only reads every item (Scan) to find the closes that are due; the close itself
 * is a `tenant.close-due` event the lifecycle function applies with its own conditional writes.
 */
export const LEDGER_CLOSE_SWEEP_ACTIONS = ['dynamodb:Scan'] as const;

const ATTRIBUTE_TYPES = {
  S: dynamodb.AttributeType.STRING,
  N: dynamodb.AttributeType.NUMBER,
  B: dynamodb.AttributeType.BINARY,
} as const satisfies Record<string, dynamodb.AttributeType>;

// The key, its type and the billing mode come from the shared definition the local cloud also
// creates its dynalite table from, so the two tables cannot disagree (a test compares the
// synthesized KeySchema, AttributeDefinitions and BillingMode with it).
const [KEY_ATTRIBUTE] = LEDGER_TABLE_DEFINITION.AttributeDefinitions;
const PARTITION_KEY: dynamodb.Attribute = {
  name: LEDGER_PARTITION_KEY,
  type: ATTRIBUTE_TYPES[KEY_ATTRIBUTE.AttributeType],
};

/**
 * The tenant ledger: one item per tenant (partition key `tenantId`) holding its ordering
 * watermark, processing lease and create intent. Every write is a conditional expression, so
 * the table is the arbiter between concurrent invocations.
 *
 * Secure and durable by default: on-demand capacity (no capacity to plan, nothing to pay when
 * idle), point-in-time recovery, deletion protection, retained when the stack is deleted (it
 * describes tenant secrets and subaccounts that outlive the stack too), and encrypted with
 * the stack's customer-managed key when one is configured. Otherwise the AWS managed key
 * aws/dynamodb: the ledger holds no credentials (tenant ids, timestamps, lease owners), so a key
 * policy of our own buys nothing, while, unlike the AWS owned key, every use of aws/dynamodb is
 * recorded in CloudTrail under the calling role
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html).
 */
export class TenantLedger extends Construct {
  readonly table: dynamodb.Table;
  /** Customer-managed key of the table, when one is configured. */
  readonly encryptionKey?: kms.IKey;

  constructor(scope: Construct, id: string, props: TenantLedgerProps = {}) {
    super(scope, id);
    this.encryptionKey = props.encryptionKey;

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: PARTITION_KEY,
      billingMode: dynamodb.BillingMode[LEDGER_TABLE_DEFINITION.BillingMode],
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      ...(this.encryptionKey === undefined
        ? { encryption: dynamodb.TableEncryption.AWS_MANAGED }
        : { encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED, encryptionKey: this.encryptionKey }),
    });
  }

  /** The lifecycle function: GetItem, PutItem, UpdateItem; no Scan, no Query, no DeleteItem. */
  grantEventProcessing(role: iam.IRole): void {
    this.grantOnTable(role, LEDGER_EVENT_PROCESSING_ACTIONS);
  }

  /** The reconcile run: Scan only (it reports, never writes). */
  grantReconcile(role: iam.IRole): void {
    this.grantOnTable(role, LEDGER_RECONCILE_ACTIONS);
  }

  /** The close sweep: Scan only (it queues close-due events, never writes an item). */
  grantCloseSweep(role: iam.IRole): void {
    this.grantOnTable(role, LEDGER_CLOSE_SWEEP_ACTIONS);
  }

  // Explicit statements rather than table.grantReadWriteData, which would add BatchWriteItem,
  // DeleteItem, Query and wildcard KMS actions that no handler calls.
  private grantOnTable(role: iam.IRole, actions: readonly string[]): void {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: [...actions], resources: [this.table.tableArn] }),
    );
    if (this.encryptionKey === undefined) return;
    // Reading or writing an item makes DynamoDB decrypt the table key with KMS as the calling
    // principal; data keys below it never leave DynamoDB, so Decrypt is the only action needed
    // (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.howitworks.html).
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [this.encryptionKey.keyArn],
        // Only DynamoDB may use the key on the function's behalf, never a direct call.
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Aws.REGION}.amazonaws.com` } },
      }),
    );
  }
}
