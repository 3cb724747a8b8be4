import { z } from 'zod';
import { InvalidParameterError, LimitExceededError } from '../errors.ts';
import { CURRENT, type SecretRecord, type SecretVersion } from '../model.ts';
import { attachStage, detachStage, pruneDeprecated, versionById, versionByStage } from '../versions.ts';
import { assertNotScheduledForDeletion } from './common.ts';
import { defineOperation } from './operation.ts';
import * as field from './schemas.ts';

const schema = z.object({
  SecretId: field.secretId,
  VersionStage: field.versionStage,
  RemoveFromVersionId: field.versionId.optional(),
  MoveToVersionId: field.versionId.optional(),
});

/** Staging labels attached across all versions of one secret. */
export const MAX_STAGING_LABELS_PER_SECRET = 20;

const versionNamed = (secret: SecretRecord, parameter: string, versionId: string): SecretVersion => {
  const version = versionById(secret, versionId);
  if (!version)
    throw new InvalidParameterError(`The ${parameter} ${versionId} is not a version of this secret.`);
  return version;
};

const labelCount = (secret: SecretRecord): number =>
  new Set(secret.versions.flatMap((version) => version.stages)).size;

/**
 * Moves or removes one staging label, as AWS documents it:
 * - with MoveToVersionId, the label is attached to that version; if another version holds it,
 *   RemoveFromVersionId must name that version, or the call fails (nothing is taken off a
 *   version the caller did not name);
 * - with RemoveFromVersionId only, the label is taken off that version, which must hold it;
 *   AWSCURRENT cannot be removed this way, since a secret always has one current version;
 * - whenever AWSCURRENT moves, AWSPREVIOUS moves to the version it left (versions.ts);
 * - a version left without labels is deprecated (listed only with IncludeDeprecated).
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_UpdateSecretVersionStage.html
 */
export const updateSecretVersionStage = defineOperation(schema, (input, context) => {
  const secret = context.store.resolve(input.SecretId);
  assertNotScheduledForDeletion(secret);
  const label = input.VersionStage;
  const remove =
    input.RemoveFromVersionId === undefined
      ? undefined
      : versionNamed(secret, 'RemoveFromVersionId', input.RemoveFromVersionId);
  const move =
    input.MoveToVersionId === undefined
      ? undefined
      : versionNamed(secret, 'MoveToVersionId', input.MoveToVersionId);
  if (!remove && !move) {
    throw new InvalidParameterError('You must specify MoveToVersionId, RemoveFromVersionId, or both.');
  }
  if (remove && !remove.stages.includes(label)) {
    throw new InvalidParameterError(
      `The parameter RemoveFromVersionId doesn't match: staging label ${label} is not attached to version ${remove.versionId}.`,
    );
  }
  const holder = versionByStage(secret, label);
  if (move) {
    if (holder && holder !== move && holder !== remove) {
      throw new InvalidParameterError(
        `The parameter RemoveFromVersionId can't be empty. Staging label ${label} is currently attached to version ${holder.versionId}, so you must explicitly reference that version in RemoveFromVersionId.`,
      );
    }
    if (!holder && labelCount(secret) >= MAX_STAGING_LABELS_PER_SECRET) {
      throw new LimitExceededError('You exceeded the maximum number of staging labels allowed on a secret.');
    }
    attachStage(secret, move, label);
  } else if (remove) {
    if (label === CURRENT) {
      throw new InvalidParameterError(
        `You can't remove the staging label ${CURRENT} from version ${remove.versionId} without moving it: use MoveToVersionId to attach it to another version.`,
      );
    }
    detachStage(remove, label);
  }
  pruneDeprecated(secret);
  secret.lastChangedDate = context.now();
  context.store.touch();
  return { ARN: secret.arn, Name: secret.name };
});
