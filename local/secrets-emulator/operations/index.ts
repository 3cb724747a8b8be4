import { createSecret } from './create-secret.ts';
import { deleteSecret } from './delete-secret.ts';
import { describeSecret } from './describe-secret.ts';
import { getSecretValue } from './get-secret-value.ts';
import { listSecretVersionIds } from './list-secret-version-ids.ts';
import { listSecrets } from './list-secrets.ts';
import type { Operation } from './operation.ts';
import { putSecretValue } from './put-secret-value.ts';
import { restoreSecret } from './restore-secret.ts';
import { tagResource } from './tag-resource.ts';
import { untagResource } from './untag-resource.ts';
import { updateSecret } from './update-secret.ts';
import { updateSecretVersionStage } from './update-secret-version-stage.ts';

export type { Operation, OperationContext } from './operation.ts';

/** Dispatch table keyed by the operation named in `X-Amz-Target: secretsmanager.<Operation>`. */
const OPERATIONS: Readonly<Record<string, Operation>> = {
  CreateSecret: createSecret,
  GetSecretValue: getSecretValue,
  PutSecretValue: putSecretValue,
  DescribeSecret: describeSecret,
  UpdateSecret: updateSecret,
  ListSecrets: listSecrets,
  ListSecretVersionIds: listSecretVersionIds,
  UpdateSecretVersionStage: updateSecretVersionStage,
  TagResource: tagResource,
  UntagResource: untagResource,
  DeleteSecret: deleteSecret,
  RestoreSecret: restoreSecret,
};

export const findOperation = (name: string): Operation | undefined =>
  Object.hasOwn(OPERATIONS, name) ? OPERATIONS[name] : undefined;
