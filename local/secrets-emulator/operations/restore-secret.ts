import { z } from 'zod';
import { defineOperation } from './operation.ts';
import * as field from './schemas.ts';

const schema = z.object({ SecretId: field.secretId });

/** Restoring a secret that is not scheduled for deletion is a harmless no-op, as on AWS. */
export const restoreSecret = defineOperation(schema, (input, context) => {
  const secret = context.store.resolve(input.SecretId);
  if (secret.deletedDate) {
    secret.deletedDate = undefined;
    secret.deletionDate = undefined;
    secret.lastChangedDate = context.now();
    context.store.touch();
  }
  return { ARN: secret.arn, Name: secret.name };
});
