import { z } from 'zod';
import { assertNotScheduledForDeletion, mergeTags } from './common.ts';
import { defineOperation } from './operation.ts';
import * as field from './schemas.ts';

const schema = z.object({ SecretId: field.secretId, Tags: field.tags });

export const tagResource = defineOperation(schema, (input, context) => {
  const secret = context.store.resolve(input.SecretId);
  assertNotScheduledForDeletion(secret);
  secret.tags = mergeTags(secret.tags, input.Tags);
  secret.lastChangedDate = context.now();
  context.store.touch();
  return {};
});
