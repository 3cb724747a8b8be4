/**
 * Reads configuration from environment variables with zod, once, and reports every problem at
 * once, each named by its variable, instead of failing late on the first record.
 */

import type { $ZodType, output } from 'zod/v4/core';
import * as z from '../zod.ts';
import { ConfigurationError } from './errors.ts';

export const readEnv = <Schema extends $ZodType>(
  schema: Schema,
  env: Readonly<Record<string, string | undefined>>,
): output<Schema> => {
  // Empty strings count as unset, as a CloudFormation template or a shell often leaves them.
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = z.safeParse(schema, present);
  if (!result.success) {
    throw new ConfigurationError(
      result.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
    );
  }
  return result.data;
};
