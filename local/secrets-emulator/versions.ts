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

/** Drops the oldest deprecated (unlabelled) versions beyond MAX_DEPRECATED_VERSIONS. */
export const pruneDeprecated = (secret: SecretRecord): void => {
  const deprecated = secret.versions.filter((version) => version.stages.length === 0);
  const excess = new Set(deprecated.slice(0, Math.max(0, deprecated.length - MAX_DEPRECATED_VERSIONS)));
  secret.versions = secret.versions.filter((version) => !excess.has(version));
};

/**
 * Attaches `stage` to `target`, taking it off the version that held it: a label is on one version
 * at a time. When AWSCURRENT moves, the version it left becomes AWSPREVIOUS, as AWS does it for
 * PutSecretValue, UpdateSecret and UpdateSecretVersionStage alike.
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_UpdateSecretVersionStage.html
 */
export const attachStage = (secret: SecretRecord, target: SecretVersion, stage: string): void => {
  const holder = versionByStage(secret, stage);
  if (holder === target) return;
  removeStage(secret, stage);
  target.stages.push(stage);
  if (stage === CURRENT && holder) {
    removeStage(secret, PREVIOUS);
    holder.stages.push(PREVIOUS);
  }
};

/** Takes `stage` off `version`; a version left without labels is deprecated. */
export const detachStage = (version: SecretVersion, stage: string): void => {
  version.stages = version.stages.filter((label) => label !== stage);
};

/**
 * Adds a version carrying `stages`, each moved off the version that held it (attachStage).
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutSecretValue.html
 */
export const addVersion = (
  secret: SecretRecord,
  version: Omit<SecretVersion, 'stages'>,
  stages: readonly string[],
): SecretVersion => {
  const added: SecretVersion = { ...version, stages: [] };
  secret.versions.push(added);
  for (const stage of new Set(stages)) attachStage(secret, added, stage);
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
