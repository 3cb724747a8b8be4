import { ProvisionerError } from '../../shared/errors.ts';

/** The CDK bundling options use a setting esbuild alone cannot reproduce: the bundle would differ. */
export class UnsupportedBundlingOptionError extends ProvisionerError {
  readonly code = 'BUNDLE_UNSUPPORTED_OPTION';

  constructor(option: string) {
    super(`the function's bundling option "${option}" is not reproduced by local/bundle`, {
      retryable: false,
      context: { option },
    });
  }
}

/** esbuild refused the entry, or a module meant to be substituted was never reached. */
export class BundleBuildError extends ProvisionerError {
  readonly code = 'BUNDLE_BUILD_FAILED';

  constructor(entry: string, problem: string, cause?: unknown) {
    super(`bundling ${entry}: ${problem}`, { retryable: false, cause, context: { entry } });
  }
}
