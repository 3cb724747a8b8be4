import type { z } from 'zod';
import { ValidationError } from '../errors.ts';
import type { SecretStore } from '../store.ts';

export interface OperationContext {
  readonly store: SecretStore;
  readonly region: string;
  readonly accountId: string;
  readonly now: () => Date;
  readonly random: () => number;
  /** A version id when the caller sent no ClientRequestToken (raw HTTP callers may not). */
  readonly newVersionId: () => string;
}

export type OperationOutput = Record<string, unknown>;

export interface Operation {
  run(input: unknown, context: OperationContext): OperationOutput;
}

/**
 * Phrased like AWS's own constraint errors. Only the field path and the constraint are quoted:
 * the offending value may be a secret.
 */
const describeIssues = (issues: readonly z.core.$ZodIssue[]): string => {
  const details = issues.map(
    (issue) => `Value at '${issue.path.join('.') || 'input'}' failed to satisfy constraint: ${issue.message}`,
  );
  const count = details.length === 1 ? '1 validation error' : `${details.length} validation errors`;
  return `${count} detected: ${details.join('; ')}`;
};

/** Binds a request schema to its handler, so handlers only ever see well-formed input. */
export const defineOperation = <S extends z.ZodType>(
  schema: S,
  handle: (input: z.output<S>, context: OperationContext) => OperationOutput,
): Operation => ({
  run(input, context) {
    const parsed = schema.safeParse(input);
    if (!parsed.success) throw new ValidationError(describeIssues(parsed.error.issues));
    return handle(parsed.data, context);
  },
});
