/**
 * Reads configuration from environment variables with zod, once, and reports every problem at
 * once, each named by its variable, instead of failing late on the first record.
 */
import type { z } from 'zod';
import { ConfigurationError } from './errors.ts';

export const readEnv = <Shape extends z.ZodRawShape>(
  schema: z.ZodObject<Shape>,
  env: Readonly<Record<string, string | undefined>>,
): z.infer<z.ZodObject<Shape>> => {
  // Empty strings count as unset, as a CloudFormation template or a shell often leaves them.
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = schema.safeParse(present);
  if (!result.success) {
    throw new ConfigurationError(
      result.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
    );
  }
  return result.data;
};
