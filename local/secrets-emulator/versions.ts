import { CURRENT, PREVIOUS, type SecretRecord, type SecretValue, type SecretVersion } from './model.ts';

/**
 * AWS keeps deprecated (unlabelled) versions for a while and drops the oldest beyond a quota;
 * a handful is enough to exercise reads of old versions locally.
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/whats-in-a-secret.html#term_version
 */
export const MAX_DEPRECATED_VERSIONS = 10;

export const versionById = (secret: SecretRecord, versionId: string): SecretVersion | undefined =>
  secret.versions.find((version) => version.versionId === versionId);

export const versionByStage = (secret: SecretRecord, stage: string): SecretVersion | undefined =>
  secret.versions.find((version) => version.stages.includes(stage));

export const sameValue = (version: SecretValue, value: SecretValue): boolean =>
  version.secretString === value.secretString && version.secretBinary === value.secretBinary;

const removeStage = (secret: SecretRecord, stage: string): SecretVersion | undefined => {
  const holder = versionByStage(secret, stage);
  if (holder) holder.stages = holder.stages.filter((label) => label !== stage);
  return holder;
};

const pruneDeprecated = (secret: SecretRecord): void => {
  const deprecated = secret.versions.filter((version) => version.stages.length === 0);
  const excess = new Set(deprecated.slice(0, Math.max(0, deprecated.length - MAX_DEPRECATED_VERSIONS)));
  secret.versions = secret.versions.filter((version) => !excess.has(version));
};

/**
 * Adds a version carrying `stages`, moving each label off the version that held it. When
 * AWSCURRENT moves, the version that lost it becomes AWSPREVIOUS, as AWS does.
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutSecretValue.html
 */
export const addVersion = (
  secret: SecretRecord,
  version: Omit<SecretVersion, 'stages'>,
  stages: readonly string[],
): SecretVersion => {
  const labels = [...new Set(stages)];
  const formerCurrent = labels.includes(CURRENT) ? removeStage(secret, CURRENT) : undefined;
  for (const label of labels.filter((stage) => stage !== CURRENT)) removeStage(secret, label);
  if (formerCurrent) {
    removeStage(secret, PREVIOUS);
    formerCurrent.stages.push(PREVIOUS);
  }
  const added: SecretVersion = { ...version, stages: labels };
  secret.versions.push(added);
  pruneDeprecated(secret);
  return added;
};

/** Only labelled versions are listed, as in DescribeSecret's VersionIdsToStages. */
export const versionIdsToStages = (secret: SecretRecord): Record<string, string[]> =>
  Object.fromEntries(
    secret.versions
      .filter((version) => version.stages.length > 0)
      .map((version) => [version.versionId, [...version.stages]]),
  );
