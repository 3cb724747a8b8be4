import { ArnFormat, Aws, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface TenantSecretsProps {
  /** Name prefix of tenant secrets, which are named `PREFIX/tenantId`. @default 'tenants' */
  readonly prefix?: string;
  /** ARN of an existing customer-managed key to encrypt tenant secrets with. @default - the AWS managed key aws/secretsmanager */
  readonly encryptionKeyArn?: string;
  /** Create a customer-managed key (rotated yearly, retained on stack deletion). @default false */
  readonly createEncryptionKey?: boolean;
}

/** Actions the lifecycle function needs to create, rotate the value of, tag, close and reopen tenant secrets. */
export const TENANT_SECRET_LIFECYCLE_ACTIONS = [
  'secretsmanager:CreateSecret',
  'secretsmanager:GetSecretValue',
  'secretsmanager:PutSecretValue',
  'secretsmanager:DescribeSecret',
  'secretsmanager:UpdateSecret',
  'secretsmanager:TagResource',
  'secretsmanager:UntagResource',
  'secretsmanager:DeleteSecret',
  'secretsmanager:RestoreSecret',
] as const;

export const TENANT_SECRET_READ_ACTIONS = [
  'secretsmanager:DescribeSecret',
  'secretsmanager:GetSecretValue',
] as const;

/**
 * The namespace tenant secrets live in. The secrets themselves are created at run time, one per
 * tenant, so the stack owns only their name prefix, their optional encryption key and the
 * grants onto them. Because tenant ids are unknown at deploy time, grants are necessarily
 * `PREFIX/*`; that wildcard is acknowledged here, next to the reason for it.
 */
export class TenantSecrets extends Construct {
  readonly prefix: string;
  /** Customer-managed key of tenant secrets, when one is configured. */
  readonly encryptionKey?: kms.IKey;
  /** `arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:PREFIX/*` */
  readonly secretArnPattern: string;

  constructor(scope: Construct, id: string, props: TenantSecretsProps = {}) {
    super(scope, id);
    this.prefix = props.prefix ?? 'tenants';
    this.secretArnPattern = Stack.of(this).formatArn({
      service: 'secretsmanager',
      resource: 'secret',
      resourceName: `${this.prefix}/*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.encryptionKey = this.resolveKey(props);
  }

  /** Everything the lifecycle function does to tenant secrets, under the prefix only. */
  grantLifecycle(role: iam.IRole): void {
    this.grantOnPrefix(role, TENANT_SECRET_LIFECYCLE_ACTIONS);
    // Writing a secret value asks KMS for a data key; reading it asks KMS to decrypt
    // (https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html).
    this.grantKeyViaSecretsManager(role, ['kms:Decrypt', 'kms:GenerateDataKey']);
  }

  /** Reading tenant secrets (describe + value), under the prefix only. */
  grantRead(role: iam.IRole): void {
    this.grantOnPrefix(role, TENANT_SECRET_READ_ACTIONS);
    this.grantKeyViaSecretsManager(role, ['kms:Decrypt']);
  }

  /** Listing secrets, which the reconcile run filters by prefix itself. */
  grantList(role: iam.IRole): void {
    // ListSecrets supports no resource-level permissions: AWS requires `Resource: "*"`
    // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecretsmanager.html).
    // It returns names and metadata, never values.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['secretsmanager:ListSecrets'], resources: ['*'] }),
    );
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'secretsmanager:ListSecrets has no resource-level permissions; AWS requires Resource "*".',
    });
  }

  private grantOnPrefix(role: iam.IRole, actions: readonly string[]): void {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: [...actions], resources: [this.secretArnPattern] }),
    );
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${this.prefix}/*]`,
      reason: `Tenant secrets are created at run time as ${this.prefix}/<tenantId>; the grant is limited to that prefix.`,
    });
  }

  private grantKeyViaSecretsManager(role: iam.IRole, actions: readonly string[]): void {
    if (this.encryptionKey === undefined) return;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [...actions],
        resources: [this.encryptionKey.keyArn],
        // Only Secrets Manager may use the key on the function's behalf, never a direct call.
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Aws.REGION}.amazonaws.com` } },
      }),
    );
  }

  private resolveKey(props: TenantSecretsProps): kms.IKey | undefined {
    if (props.encryptionKeyArn !== undefined)
      return kms.Key.fromKeyArn(this, 'EncryptionKey', props.encryptionKeyArn);
    if (props.createEncryptionKey !== true) return undefined;
    return new kms.Key(this, 'EncryptionKey', {
      // The stack also encrypts the tenant ledger table with this key: say so where an operator
      // deciding whether the retained key can go will read it.
      description: `Encrypts tenant secrets under ${this.prefix}/ and the tenant ledger table`,
      enableKeyRotation: true,
      // Tenant secrets outlive the stack (they are not stack resources), so their key must too.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
