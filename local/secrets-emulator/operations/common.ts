import { InvalidParameterError, InvalidRequestError, ResourceExistsError } from '../errors.ts';
import type { SecretRecord, SecretValue, SecretVersion, Tag } from '../model.ts';
import { addVersion, sameValue, versionById } from '../versions.ts';
import type { OperationContext, OperationOutput } from './operation.ts';

/** The JSON protocols carry timestamps as epoch seconds (fractions allowed). */
export const epochSeconds = (date: Date): number => date.getTime() / 1000;

/** AWS's wording, so callers matching on it locally behave as in the cloud. */
export const assertNotScheduledForDeletion = (secret: SecretRecord): void => {
  if (secret.deletedDate) {
    throw new InvalidRequestError(
      "You can't perform this operation on the secret because it was marked for deletion.",
    );
  }
};

interface ValueFields {
  SecretString?: string | undefined;
  SecretBinary?: string | undefined;
}

/** The value carried by a request, or `undefined` when it carries none. */
export const requestValue = (input: ValueFields): SecretValue | undefined => {
  if (input.SecretString !== undefined && input.SecretBinary !== undefined) {
    throw new InvalidParameterError(
      "You can't specify both a binary secret value and a string secret value in the same secret.",
    );
  }
  if (input.SecretString !== undefined) return { secretString: input.SecretString };
  if (input.SecretBinary !== undefined) return { secretBinary: input.SecretBinary };
  return undefined;
};

/**
 * Stores a new version, or recognises a retry. The ClientRequestToken becomes the VersionId: the
 * same token with the same value is a no-op answering the existing version; with another value
 * it fails, because a version can never change.
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutSecretValue.html#SecretsManager-PutSecretValue-request-ClientRequestToken
 */
export const writeVersion = (
  context: OperationContext,
  secret: SecretRecord,
  token: string | undefined,
  value: SecretValue,
  stages: readonly string[],
): SecretVersion => {
  const versionId = token ?? context.newVersionId();
  const existing = versionById(secret, versionId);
  if (existing) {
    if (sameValue(existing, value)) return existing;
    throw new ResourceExistsError(
      `A version with ClientRequestToken ${versionId} already exists with a different value; versions can't be changed.`,
    );
  }
  const now = context.now();
  const version = addVersion(secret, { versionId, ...value, createdDate: now }, stages);
  secret.lastChangedDate = now;
  context.store.touch();
  return version;
};

/** Later keys win, as TagResource overwrites the value of a key already present. */
export const mergeTags = (
  current: readonly Tag[],
  added: readonly { Key: string; Value?: string }[],
): Tag[] => {
  const byKey = new Map(current.map((tag) => [tag.Key, tag.Value]));
  for (const tag of added) byKey.set(tag.Key, tag.Value ?? '');
  return [...byKey].map(([Key, Value]) => ({ Key, Value }));
};

/** Fields shared by DescribeSecret and ListSecrets entries; never the value. */
export const secretMetadata = (secret: SecretRecord): OperationOutput => ({
  ARN: secret.arn,
  Name: secret.name,
  ...(secret.description !== undefined && { Description: secret.description }),
  ...(secret.kmsKeyId !== undefined && { KmsKeyId: secret.kmsKeyId }),
  RotationEnabled: false,
  LastChangedDate: epochSeconds(secret.lastChangedDate),
  ...(secret.lastAccessedDate && { LastAccessedDate: epochSeconds(secret.lastAccessedDate) }),
  ...(secret.deletedDate && { DeletedDate: epochSeconds(secret.deletedDate) }),
  ...(secret.tags.length > 0 && { Tags: secret.tags.map((tag) => ({ ...tag })) }),
  CreatedDate: epochSeconds(secret.createdDate),
});
