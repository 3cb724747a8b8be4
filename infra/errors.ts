import { ProvisionerError } from '../shared/errors.ts';

/** One configuration key that failed validation, with a human-readable reason. */
export interface ConfigProblem {
  readonly key: string;
  readonly message: string;
}

/**
 * Raised at synth when the CDK context (cdk.json or `-c key=value`) is invalid. It lists every
 * problem at once so a deploy needs one fix-and-retry round, not one per mistake.
 */
export class InvalidConfigurationError extends ProvisionerError {
  readonly code = 'INFRA_INVALID_CONFIGURATION';
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(`Invalid configuration:\n${problems.map((p) => ` - ${p.key}: ${p.message}`).join('\n')}`, {
      retryable: false,
      context: { keys: problems.map((p) => p.key) },
    });
    this.problems = Object.freeze([...problems]);
  }
}
