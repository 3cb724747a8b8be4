/** Errors of the benchmark: each says which measurement could not be taken and why. */
import { ProvisionerError } from '../shared/errors.ts';

/** A measured run did not do the work it was meant to measure (the figure would be meaningless). */
export class BenchRunError extends ProvisionerError {
  readonly code = 'BENCH_RUN_FAILED';

  constructor(measurement: string, problem: string, cause?: unknown) {
    super(`${measurement}: ${problem}`, { retryable: false, cause, context: { measurement } });
  }
}
