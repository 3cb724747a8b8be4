import { z } from 'zod';

/**
 * Field constraints from the Secrets Manager API model.
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_Operations.html
 */
export const secretId = z.string().min(1).max(2048);
export const secretName = z.string().min(1).max(512);
export const clientRequestToken = z.string().min(32).max(64);
export const versionId = z.string().min(32).max(64);
export const versionStage = z.string().min(1).max(256);
export const versionStages = z.array(versionStage).min(1).max(20);
export const description = z.string().max(2048);
export const kmsKeyId = z.string().max(2048);
export const secretString = z.string().max(65536);
export const secretBinary = z.base64().max(87384);
export const maxResults = z.number().int().min(1).max(100);
export const nextToken = z.string().min(1).max(4096);

/**
 * A string of `min..max` characters. The model's length constraints count Unicode code points
 * (Smithy's `@length` on strings), not the UTF-16 units `z.string().max()` counts.
 * https://smithy.io/2.0/spec/constraint-traits.html#length-trait
 */
const codePoints = (min: number, max: number) =>
  z.string().refine(
    (text) => {
      const length = [...text].length;
      return length >= min && length <= max;
    },
    { message: `Member must have length between ${min} and ${max}` },
  );

/** TagKeyType 1..128 and TagValueType 0..256; what else AWS refuses in tags is in tags.ts. */
export const tagKey = codePoints(1, 128);
export const tagValue = codePoints(0, 256);
export const tag = z.object({ Key: tagKey, Value: tagValue.optional() });
/** TagListType and TagKeyListType have no length in the model: the 50-tag quota is in tags.ts. */
export const tags = z.array(tag);
export const tagKeys = z.array(tagKey);

export const secretValueFields = {
  SecretString: secretString.optional(),
  SecretBinary: secretBinary.optional(),
};
