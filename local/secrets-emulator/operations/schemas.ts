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
export const tag = z.object({ Key: z.string().min(1).max(128), Value: z.string().max(256).optional() });
export const tags = z.array(tag).max(50);
export const tagKeys = z.array(z.string().min(1).max(128)).max(50);

export const secretValueFields = {
  SecretString: secretString.optional(),
  SecretBinary: secretBinary.optional(),
};
