import { z } from 'zod';
import { randomArnSuffix, secretArn } from '../arn.ts';
import { InvalidParameterError, InvalidRequestError, ResourceExistsError } from '../errors.ts';
import { CURRENT, type SecretRecord, type SecretValue } from '../model.ts';
import { addVersion, sameValue, versionById } from '../versions.ts';
import { mergeTags, requestValue } from './common.ts';
import { defineOperation, type OperationOutput } from './operation.ts';
import * as field from './schemas.ts';
import { assertAddableTags, assertTagQuota } from './tags.ts';

const schema = z.object({
  Name: field.secretName,
  ClientRequestToken: field.clientRequestToken.optional(),
  Description: field.description.optional(),
  KmsKeyId: field.kmsKeyId.optional(),
  Tags: field.tags.optional(),
  ...field.secretValueFields,
});

// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html#SecretsManager-CreateSecret-request-Name
const VALID_NAME = /^[A-Za-z0-9/_+=.@-]+$/;

/**
 * A retried CreateSecret (same token, same value) succeeds without change, so a caller that lost
 * the first answer can simply try again; anything else on an existing name is a conflict.
 */
const replay = (existing: SecretRecord, token: string | undefined, value: SecretValue | undefined) => {
  if (existing.deletedDate) {
    throw new InvalidRequestError(
      "You can't create this secret because a secret with this name is already scheduled for deletion.",
    );
  }
  const version = token && value ? versionById(existing, token) : undefined;
  if (version && value && sameValue(version, value)) {
    return { ARN: existing.arn, Name: existing.name, VersionId: version.versionId };
  }
  throw new ResourceExistsError(`The operation failed because the secret ${existing.name} already exists.`);
};

export const createSecret = defineOperation(schema, (input, context): OperationOutput => {
  if (!VALID_NAME.test(input.Name)) {
    throw new InvalidParameterError(
      'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
    );
  }
  const value = requestValue(input);
  const tags = mergeTags([], input.Tags ?? []);
  assertAddableTags(input.Tags ?? []);
  assertTagQuota(tags);
  const existing = context.store.byName(input.Name);
  if (existing) return replay(existing, input.ClientRequestToken, value);

  const now = context.now();
  const suffix = randomArnSuffix(context.random);
  const secret: SecretRecord = {
    arn: secretArn(context.region, context.accountId, input.Name, suffix),
    name: input.Name,
    description: input.Description,
    kmsKeyId: input.KmsKeyId,
    tags,
    versions: [],
    createdDate: now,
    lastChangedDate: now,
  };
  const version = value
    ? addVersion(
        secret,
        { versionId: input.ClientRequestToken ?? context.newVersionId(), ...value, createdDate: now },
        [CURRENT],
      )
    : undefined;
  context.store.add(secret);
  return { ARN: secret.arn, Name: secret.name, ...(version && { VersionId: version.versionId }) };
});
