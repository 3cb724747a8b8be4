import { ProvisionerError } from '../../shared/errors.ts';

/**
 * The local run cannot start as asked: a bad flag, an unreadable events file, a missing variable
 * for `--real`. Reported as one line with exit code 2, like any command-line usage error.
 */
export abstract class StartUsageError extends ProvisionerError {
  protected constructor(message: string, context: Record<string, unknown>) {
    super(message, { retryable: false, context });
  }
}

export class StartOptionError extends StartUsageError {
  readonly code = 'START_INVALID_OPTION';

  constructor(option: string, reason: string) {
    super(`${option}: ${reason}`, { option });
  }
}

export class EventsFileError extends StartUsageError {
  readonly code = 'START_EVENTS_FILE_UNREADABLE';

  constructor(path: string, reason: string) {
    super(`cannot replay ${path}: ${reason}`, { path });
  }
}

export class RealTargetConfigError extends StartUsageError {
  readonly code = 'START_REAL_TARGET_CONFIG';

  /** Each problem starts with the variable's name. */
  constructor(problems: readonly string[]) {
    super(`--real: ${problems.join('; ')}`, { problems });
  }
}
