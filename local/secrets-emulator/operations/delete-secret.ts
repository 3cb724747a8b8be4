import { z } from 'zod';
import { looksLikeArn, randomArnSuffix, secretArn } from '../arn.ts';
import { InvalidParameterError, InvalidRequestError } from '../errors.ts';
import { epochSeconds } from './common.ts';
import { defineOperation, type OperationContext } from './operation.ts';
import * as field from './schemas.ts';

const schema = z.object({
  SecretId: field.secretId,
  RecoveryWindowInDays: z.number().int().optional(),
  ForceDeleteWithoutRecovery: z.boolean().optional(),
});

// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DeleteSecret.html
const DEFAULT_RECOVERY_DAYS = 30;
const MIN_RECOVERY_DAYS = 7;
const MAX_RECOVERY_DAYS = 30;
const DAY_MS = 86_400_000;

const recoveryDays = (days: number | undefined, force: boolean): number => {
  if (force && days !== undefined) {
    throw new InvalidParameterError(
      "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
    );
  }
  const window = days ?? DEFAULT_RECOVERY_DAYS;
  if (window < MIN_RECOVERY_DAYS || window > MAX_RECOVERY_DAYS) {
    throw new InvalidParameterError(
      'The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).',
    );
  }
  return window;
};

/**
 * What a forced delete of a secret that does not exist answers. AWS documents only that it does
 * not fail ("If you forcibly delete an already deleted or nonexistent secret, the operation does
 * not return ResourceNotFoundException"), so a retried delete succeeds; the emulator answers the
 * shape of a successful delete: the name, an ARN (the one given, or one made up like a new
 * secret's), and now as the DeletionDate.
 */
const forgetMissing = (secretId: string, context: OperationContext) => {
  const arnGiven = looksLikeArn(secretId);
  const name = arnGiven ? (secretId.split(':secret:')[1] ?? secretId) : secretId;
  return {
    ARN: arnGiven
      ? secretId
      : secretArn(context.region, context.accountId, name, randomArnSuffix(context.random)),
    Name: name,
    DeletionDate: epochSeconds(context.now()),
  };
};

/**
 * Without force, the secret is only scheduled for deletion and stays restorable until the window
 * ends. Force deletes at once, even a secret already scheduled, and succeeds for a secret that
 * does not exist.
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DeleteSecret.html#SecretsManager-DeleteSecret-request-ForceDeleteWithoutRecovery
 */
export const deleteSecret = defineOperation(schema, (input, context) => {
  const force = input.ForceDeleteWithoutRecovery === true;
  const days = recoveryDays(input.RecoveryWindowInDays, force);
  const found = context.store.find(input.SecretId);
  if (!found && force) return forgetMissing(input.SecretId, context);
  const secret = found ?? context.store.resolve(input.SecretId);
  const now = context.now();
  if (force) {
    context.store.remove(secret);
    return { ARN: secret.arn, Name: secret.name, DeletionDate: epochSeconds(now) };
  }
  if (secret.deletedDate) {
    throw new InvalidRequestError(
      "You can't perform this operation on the secret because it was already scheduled for deletion.",
    );
  }
  secret.deletedDate = now;
  secret.deletionDate = new Date(now.getTime() + days * DAY_MS);
  secret.lastChangedDate = now;
  context.store.touch();
  return { ARN: secret.arn, Name: secret.name, DeletionDate: epochSeconds(secret.deletionDate) };
});
