/**
 * CredentialVault over AWS Secrets Manager: one secret per tenant, `${prefix}/${tenantId}`, whose
 * value is the subaccount's credentials (JSON) and whose tags mirror the lifecycle (the tenant
 * ledger decides order; the tags are for people, tag-based access and adopting pre-ledger tenants).
 */
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  type DescribeSecretCommandOutput,
  GetSecretValueCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  type SecretsManagerClient,
  TagResourceCommand,
} from '@aws-sdk/client-secrets-manager';
import {
  ACCOUNT_SID_PATTERN,
  type CredentialVault,
  type EventMark,
  type TenantCredentials,
  type TenantRecord,
} from '../domain/ports.ts';
import * as z from '../zod.ts';
import {
  SecretConflictError,
  SecretNotManagedError,
  SecretsManagerCallError,
  SecretValueInvalidError,
} from './errors.ts';
import { identityTags, markTags, parseTenantTags } from './tenant-tags.ts';

export interface SecretsManagerVaultOptions {
  readonly client: SecretsManagerClient;
  /** Name prefix, without a trailing slash. */
  readonly prefix: string;
  /** Customer-managed KMS key for new tenant secrets; AWS's `aws/secretsmanager` key when absent. */
  readonly kmsKeyId?: string;
}

const credentialsSchema = z
  .object({
    tenantId: z.string(),
    accountSid: z.string().check(z.regex(ACCOUNT_SID_PATTERN)),
    authToken: z.optional(z.string().check(z.minLength(1))),
    apiKeySid: z.optional(z.string().check(z.regex(/^SK[0-9a-fA-F]{32}$/))),
    apiKeySecret: z.optional(z.string().check(z.minLength(1))),
    friendlyName: z.string(),
    provisionedAt: z.string(),
    provisionedByEventId: z.string(),
    rotatedByEventId: z.optional(z.string()),
  })
  .check(
    z.refine(
      (value) =>
        value.authToken !== undefined || (value.apiKeySid !== undefined && value.apiKeySecret !== undefined),
      'holds neither an auth token nor a complete API key',
    ),
  );

const errorName = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : undefined;

/** AWS answers InvalidRequestException for reads and writes of a secret scheduled for deletion. */
const isNotFound = (error: unknown) => errorName(error) === 'ResourceNotFoundException';
const isMarkedForDeletion = (error: unknown) => errorName(error) === 'InvalidRequestException';

export const tenantSecretName = (prefix: string, tenantId: string): string => `${prefix}/${tenantId}`;

export const createSecretsManagerVault = ({
  client,
  prefix,
  kmsKeyId,
}: SecretsManagerVaultOptions): CredentialVault => {
  const nameOf = (tenantId: string) => tenantSecretName(prefix, tenantId);

  /** Runs one SDK call; any failure becomes a SecretsManagerCallError carrying the retry decision. */
  const call = async <T>(operation: string, secretName: string, send: () => Promise<T>): Promise<T> => {
    try {
      return await send();
    } catch (error) {
      throw new SecretsManagerCallError(operation, secretName, error);
    }
  };

  const describe = async (tenantId: string): Promise<TenantRecord | undefined> => {
    const name = nameOf(tenantId);
    let described: DescribeSecretCommandOutput;
    try {
      described = await client.send(new DescribeSecretCommand({ SecretId: name }));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw new SecretsManagerCallError('DescribeSecret', name, error);
    }
    const parsed = parseTenantTags(described.Tags);
    if ('missing' in parsed) throw new SecretNotManagedError(name, parsed.missing);
    return { ...parsed.record, retired: described.DeletedDate !== undefined };
  };

  const create = async (
    credentials: TenantCredentials,
    mark: EventMark,
    requestToken: string,
  ): Promise<void> => {
    const name = nameOf(credentials.tenantId);
    try {
      await client.send(
        new CreateSecretCommand({
          Name: name,
          Description: `Twilio subaccount credentials of tenant ${credentials.tenantId}`,
          SecretString: JSON.stringify(credentials),
          ClientRequestToken: requestToken,
          KmsKeyId: kmsKeyId,
          Tags: [...identityTags(credentials.tenantId, credentials.friendlyName), ...markTags(mark)],
        }),
      );
    } catch (error) {
      if (errorName(error) !== 'ResourceExistsException')
        throw new SecretsManagerCallError('CreateSecret', name, error);
      // An earlier attempt of this very event created it (its answer was lost): done.
      const existing = await describe(credentials.tenantId);
      if (existing?.lastEventId !== mark.lastEventId) throw new SecretConflictError(name);
    }
  };

  const replaceCredentials = async (credentials: TenantCredentials, requestToken: string): Promise<void> => {
    const name = nameOf(credentials.tenantId);
    await call('PutSecretValue', name, () =>
      client.send(
        new PutSecretValueCommand({
          SecretId: name,
          SecretString: JSON.stringify(credentials),
          ClientRequestToken: requestToken,
        }),
      ),
    );
  };

  const mark = async (tenantId: string, eventMark: EventMark): Promise<void> => {
    const name = nameOf(tenantId);
    try {
      await client.send(new TagResourceCommand({ SecretId: name, Tags: markTags(eventMark) }));
    } catch (error) {
      // A retired secret's tags are frozen; the mirror stays as the close left it, and the ledger
      // (the authority) moves on. A redelivered churn reaches this after a lost retire answer.
      if (isMarkedForDeletion(error) && (await describe(tenantId))?.retired) return;
      throw new SecretsManagerCallError('TagResource', name, error);
    }
  };

  const retire = async (tenantId: string, recoveryWindowDays: number): Promise<void> => {
    const name = nameOf(tenantId);
    try {
      await client.send(
        new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: recoveryWindowDays }),
      );
    } catch (error) {
      // Already scheduled by an earlier attempt whose answer was lost.
      if (isMarkedForDeletion(error) && (await describe(tenantId))?.retired) return;
      throw new SecretsManagerCallError('DeleteSecret', name, error);
    }
  };

  const restore = async (tenantId: string): Promise<void> => {
    const name = nameOf(tenantId);
    await call('RestoreSecret', name, () => client.send(new RestoreSecretCommand({ SecretId: name })));
  };

  const readCredentials = async (tenantId: string): Promise<TenantCredentials | undefined> => {
    const name = nameOf(tenantId);
    let value: string | undefined;
    try {
      value = (await client.send(new GetSecretValueCommand({ SecretId: name }))).SecretString;
    } catch (error) {
      if (isNotFound(error) || isMarkedForDeletion(error)) return undefined;
      throw new SecretsManagerCallError('GetSecretValue', name, error);
    }
    let json: unknown;
    try {
      json = JSON.parse(value ?? '');
    } catch {
      throw new SecretValueInvalidError(name, 'not JSON');
    }
    const parsed = credentialsSchema.safeParse(json);
    if (!parsed.success)
      throw new SecretValueInvalidError(name, parsed.error.issues.map((i) => i.path.join('.')).join(', '));
    return parsed.data;
  };

  return { secretName: nameOf, describe, create, replaceCredentials, mark, retire, restore, readCredentials };
};
