import { z } from 'zod';
import { epochSeconds } from './common.ts';
import { defineOperation } from './operation.ts';
import { pageOf } from './paging.ts';
import * as field from './schemas.ts';

const schema = z.object({
  SecretId: field.secretId,
  MaxResults: field.maxResults.optional(),
  NextToken: field.nextToken.optional(),
  IncludeDeprecated: z.boolean().optional(),
});

const DEFAULT_PAGE_SIZE = 100;

/**
 * The secret's versions, oldest first; deprecated ones (no staging label) only with
 * IncludeDeprecated. Works on a secret scheduled for deletion too: the operation declares no
 * InvalidRequestException, the error every call refused for that reason answers. The emulator
 * records access per secret, not per version, so entries carry no LastAccessedDate.
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_ListSecretVersionIds.html
 */
export const listSecretVersionIds = defineOperation(schema, (input, context) => {
  const secret = context.store.resolve(input.SecretId);
  const versions = secret.versions.filter(
    (version) => input.IncludeDeprecated === true || version.stages.length > 0,
  );
  const { page, nextToken } = pageOf(versions, input.NextToken, input.MaxResults ?? DEFAULT_PAGE_SIZE);
  return {
    Versions: page.map((version) => ({
      VersionId: version.versionId,
      VersionStages: [...version.stages],
      CreatedDate: epochSeconds(version.createdDate),
    })),
    ...(nextToken !== undefined && { NextToken: nextToken }),
    ARN: secret.arn,
    Name: secret.name,
  };
});
