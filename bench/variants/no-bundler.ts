/**
 * Stands in for local/bundle in the benchmark's child processes (bench/child-bundle.ts): they are
 * handed prebuilt bundles, so the bundler (esbuild, aws-cdk-lib for the stack's options) stays out
 * of the process being measured. Reaching it means a child was handed a TypeScript entry.
 */
export const cachedBundle = async (request: { entry: string }): Promise<never> => {
  throw new Error(`benchmark child processes run prebuilt bundles only, not ${request.entry}`);
};
