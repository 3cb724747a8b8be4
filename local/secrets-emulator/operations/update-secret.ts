import { z } from 'zod';
import { CURRENT } from '../model.ts';
import { assertNotScheduledForDeletion, requestValue, writeVersion } from './common.ts';
import { defineOperation } from './operation.ts';
import * as field from './schemas.ts';

const schema = z.object({
  SecretId: field.secretId,
  ClientRequestToken: field.clientRequestToken.optional(),
  Description: field.description.optional(),
  KmsKeyId: field.kmsKeyId.optional(),
  ...field.secretValueFields,
});

/** Metadata changes in place; a value, when given, becomes a new AWSCURRENT version. */
export const updateSecret = defineOperation(schema, (input, context) => {
  const secret = context.store.resolve(input.SecretId);
  assertNotScheduledForDeletion(secret);
  const value = requestValue(input);
  if (input.Description !== undefined) secret.description = input.Description;
  if (input.KmsKeyId !== undefined) secret.kmsKeyId = input.KmsKeyId;
  const version = value
    ? writeVersion(context, secret, input.ClientRequestToken, value, [CURRENT])
    : undefined;
  if (input.Description !== undefined || input.KmsKeyId !== undefined) {
    secret.lastChangedDate = context.now();
    context.store.touch();
  }
  return { ARN: secret.arn, Name: secret.name, ...(version && { VersionId: version.versionId }) };
});
