import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';

// Secrets Manager appends a hyphen and six random characters to every secret's ARN.
const COMPLETE_ARN_SUFFIX = /-[A-Za-z0-9]{6}$/;

/**
 * References the existing secret holding the main account's `{ accountSid, authToken }`; the
 * stack never creates it, so the token never passes through a template. A name or a partial
 * ARN is granted as `NAME-??????` (the random suffix is unknown at deploy time); an ARN ending
 * in a hyphen and six characters is taken as the complete ARN and granted exactly.
 */
export const importParentCredentialsSecret = (
  scope: Construct,
  id: string,
  nameOrArn: string,
): secretsmanager.ISecret => {
  if (!nameOrArn.startsWith('arn:')) return secretsmanager.Secret.fromSecretNameV2(scope, id, nameOrArn);
  return COMPLETE_ARN_SUFFIX.test(nameOrArn)
    ? secretsmanager.Secret.fromSecretCompleteArn(scope, id, nameOrArn)
    : secretsmanager.Secret.fromSecretPartialArn(scope, id, nameOrArn);
};
