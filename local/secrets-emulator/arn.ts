/**
 * Secret ARNs: `arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-XXXXXX`. AWS appends six random
 * characters so that a re-created secret of the same name gets a new ARN, and accepts the
 * "partial ARN" without them as a SecretId.
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/troubleshoot.html#ARN_secretnamehyphen
 */
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const SUFFIX_LENGTH = 6;

export const randomArnSuffix = (random: () => number): string => {
  let suffix = '';
  for (let i = 0; i < SUFFIX_LENGTH; i += 1) {
    const index = Math.min(Math.floor(random() * SUFFIX_ALPHABET.length), SUFFIX_ALPHABET.length - 1);
    suffix += SUFFIX_ALPHABET[index];
  }
  return suffix;
};

export const partialSecretArn = (region: string, accountId: string, name: string): string =>
  `arn:aws:secretsmanager:${region}:${accountId}:secret:${name}`;

export const secretArn = (region: string, accountId: string, name: string, suffix: string): string =>
  `${partialSecretArn(region, accountId, name)}-${suffix}`;

/** The partial ARN of a full one: everything but the `-XXXXXX` suffix. */
export const withoutSuffix = (arn: string): string => arn.slice(0, -(SUFFIX_LENGTH + 1));

export const looksLikeArn = (secretId: string): boolean => secretId.startsWith('arn:');
