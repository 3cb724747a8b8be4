import { z } from 'zod';
import { assertNotScheduledForDeletion } from './common.ts';
import { defineOperation } from './operation.ts';
import * as field from './schemas.ts';
import { assertRemovableTagKeys } from './tags.ts';

const schema = z.object({ SecretId: field.secretId, TagKeys: field.tagKeys });

export const untagResource = defineOperation(schema, (input, context) => {
  const secret = context.store.resolve(input.SecretId);
  assertNotScheduledForDeletion(secret);
  assertRemovableTagKeys(input.TagKeys);
  const removed = new Set(input.TagKeys);
  secret.tags = secret.tags.filter((tag) => !removed.has(tag.Key));
  secret.lastChangedDate = context.now();
  context.store.touch();
  return {};
});
