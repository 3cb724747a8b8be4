import { z } from 'zod';
import { ResourceNotFoundError } from '../errors.ts';
import { CURRENT, type SecretRecord, type SecretVersion } from '../model.ts';
import { versionById, versionByStage } from '../versions.ts';
import { assertNotScheduledForDeletion, epochSeconds } from './common.ts';
import { defineOperation } from './operation.ts';
import * as field from './schemas.ts';

const schema = z.object({
  SecretId: field.secretId,
  VersionId: field.versionId.optional(),
  VersionStage: field.versionStage.optional(),
});

/** With both VersionId and VersionStage, they must name the same version. */
const pickVersion = (
  secret: SecretRecord,
  id: string | undefined,
  stage: string | undefined,
): SecretVersion => {
  if (id !== undefined) {
    const version = versionById(secret, id);
    if (version && (stage === undefined || version.stages.includes(stage))) return version;
    throw new ResourceNotFoundError(
      `Secrets Manager can't find the specified secret value for VersionId: ${id}`,
    );
  }
  const label = stage ?? CURRENT;
  const version = versionByStage(secret, label);
  if (version) return version;
  throw new ResourceNotFoundError(
    `Secrets Manager can't find the specified secret value for staging label: ${label}`,
  );
};

/** AWS keeps LastAccessedDate to the day. */
const startOfUtcDay = (date: Date): Date =>
  new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));

export const getSecretValue = defineOperation(schema, (input, context) => {
  const secret = context.store.resolve(input.SecretId);
  assertNotScheduledForDeletion(secret);
  const version = pickVersion(secret, input.VersionId, input.VersionStage);
  const accessed = startOfUtcDay(context.now());
  if (secret.lastAccessedDate?.getTime() !== accessed.getTime()) {
    secret.lastAccessedDate = accessed;
    context.store.touch();
  }
  return {
    ARN: secret.arn,
    Name: secret.name,
    VersionId: version.versionId,
    ...(version.secretString !== undefined && { SecretString: version.secretString }),
    ...(version.secretBinary !== undefined && { SecretBinary: version.secretBinary }),
    VersionStages: [...version.stages],
    CreatedDate: epochSeconds(version.createdDate),
  };
});
