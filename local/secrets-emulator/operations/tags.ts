/**
 * AWS's rules for a secret's tags beyond the API model's lengths (schemas.ts: keys 1..128 and
 * values 0..256 characters, answered with ValidationException like every model constraint):
 * - at most 50 tags per secret; tags with the reserved `aws:` prefix do not count;
 * - keys and values use letters, numbers and spaces representable in UTF-8, and `+ - = . _ : / @`;
 * - keys starting with `aws:` (any case) are reserved for AWS: they cannot be added or removed.
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_TagResource.html
 * https://docs.aws.amazon.com/general/latest/gr/arg.html#taged-reference-quotas
 *
 * These answer InvalidParameterException: it is the error TagResource and CreateSecret declare
 * for a bad parameter, and TagResource declares no LimitExceededException for the quota.
 *
 * The emulator keeps its own copy of these rules on purpose instead of importing the product's
 * (shared/domain/tag-value.ts): it stands in for AWS, so a mistake in the product's rule must
 * show up as a refusal here, not be shared by both.
 */
import { InvalidParameterError } from '../errors.ts';
import type { Tag } from '../model.ts';

export const MAX_TAGS_PER_SECRET = 50;

const ALLOWED = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const RESERVED_PREFIX = /^aws:/i;

const isReserved = (key: string): boolean => RESERVED_PREFIX.test(key);

const assertAllowedCharacters = (what: 'key' | 'value', text: string): void => {
  if (!ALLOWED.test(text)) {
    throw new InvalidParameterError(
      `A tag ${what} contains characters that are not allowed. Use letters, numbers, spaces and + - = . _ : / @.`,
    );
  }
};

/** Checks tags a caller asks to add (CreateSecret, TagResource). */
export const assertAddableTags = (tags: readonly { Key: string; Value?: string | undefined }[]): void => {
  for (const tag of tags) {
    if (isReserved(tag.Key)) {
      throw new InvalidParameterError(
        `The tag key ${tag.Key} uses the aws: prefix, which is reserved for AWS use.`,
      );
    }
    assertAllowedCharacters('key', tag.Key);
    assertAllowedCharacters('value', tag.Value ?? '');
  }
};

/** Checks keys a caller asks to remove (UntagResource): reserved ones cannot be. */
export const assertRemovableTagKeys = (keys: readonly string[]): void => {
  const reserved = keys.find(isReserved);
  if (reserved !== undefined) {
    throw new InvalidParameterError(
      `The tag key ${reserved} uses the aws: prefix, which is reserved for AWS use.`,
    );
  }
};

/** The quota, checked on the tags a secret would end up with. */
export const assertTagQuota = (tags: readonly Tag[]): void => {
  const counted = tags.filter((tag) => !isReserved(tag.Key)).length;
  if (counted > MAX_TAGS_PER_SECRET) {
    throw new InvalidParameterError(
      `A secret can have at most ${MAX_TAGS_PER_SECRET} tags; this request would leave it with ${counted}.`,
    );
  }
};
