import { z } from 'zod';
import { assertNotScheduledForDeletion, mergeTags } from './common.ts';
import { defineOperation } from './operation.ts';
import * as field from './schemas.ts';
import { assertAddableTags, assertTagQuota } from './tags.ts';

const schema = z.object({ SecretId: field.secretId, Tags: field.tags });

export const tagResource = defineOperation(schema, (input, context) => {
  const secret = context.store.resolve(input.SecretId);
  assertNotScheduledForDeletion(secret);
  assertAddableTags(input.Tags);
  const tags = mergeTags(secret.tags, input.Tags);
  assertTagQuota(tags);
  secret.tags = tags;
  secret.lastChangedDate = context.now();
  context.store.touch();
  return {};
});
