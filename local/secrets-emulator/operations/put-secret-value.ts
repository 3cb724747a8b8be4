import { z } from 'zod';
import { InvalidParameterError } from '../errors.ts';
import { CURRENT } from '../model.ts';
import { assertNotScheduledForDeletion, requestValue, writeVersion } from './common.ts';
import { defineOperation } from './operation.ts';
import * as field from './schemas.ts';

const schema = z.object({
  SecretId: field.secretId,
  ClientRequestToken: field.clientRequestToken.optional(),
  VersionStages: field.versionStages.optional(),
  ...field.secretValueFields,
});

export const putSecretValue = defineOperation(schema, (input, context) => {
  const secret = context.store.resolve(input.SecretId);
  assertNotScheduledForDeletion(secret);
  const value = requestValue(input);
  if (!value) throw new InvalidParameterError('You must provide either SecretString or SecretBinary.');
  const version = writeVersion(
    context,
    secret,
    input.ClientRequestToken,
    value,
    input.VersionStages ?? [CURRENT],
  );
  return {
    ARN: secret.arn,
    Name: secret.name,
    VersionId: version.versionId,
    VersionStages: [...version.stages],
  };
});
