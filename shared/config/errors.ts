import { ProvisionerError } from '../errors.ts';

/** Configuration is wrong. Raised at cold start, listing every problem with the variable's name. */
export class ConfigurationError extends ProvisionerError {
  readonly code = 'CONFIGURATION_INVALID';
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => ` - ${problem}`).join('\n')}`, {
      retryable: false,
      context: { problems },
    });
    this.problems = problems;
  }
}
