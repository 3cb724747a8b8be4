import { z } from 'zod';
import { versionIdsToStages } from '../versions.ts';
import { secretMetadata } from './common.ts';
import { defineOperation } from './operation.ts';
import * as field from './schemas.ts';

const schema = z.object({ SecretId: field.secretId });

/** Works on a secret scheduled for deletion too: that is how callers see DeletedDate. */
export const describeSecret = defineOperation(schema, (input, context) => {
  const secret = context.store.resolve(input.SecretId);
  return { ...secretMetadata(secret), VersionIdsToStages: versionIdsToStages(secret) };
});
