/**
 * Bundles a function exactly as the CDK stack ships it, into bench/.build/<name>/, with the one
 * builder the local runner uses too (local/bundle: the esbuild options derived from the stack's
 * own `BUNDLING` in infra/constructs/provisioner-function.ts, the way NodejsFunction derives
 * them), so a change to the stack's bundling changes what is measured here. The benchmark builds
 * afresh into its own directory rather than from the runner's cache, so every run measures a
 * build of the current tree.
 *
 * A variant of a function is the same entry with modules substituted at bundle time (e.g. the
 * Twilio client by one over the `twilio` library), so it runs the function's own code path.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BundledFunction, buildFunction, type ModuleSubstitutes } from '../local/bundle/index.ts';
import { BenchRunError } from './errors.ts';

export { esbuildOptionsFor } from '../local/bundle/index.ts';
export type { BundledFunction, ModuleSubstitutes };

export const BUILD_DIR = fileURLToPath(new URL('.build', import.meta.url));

/** Bundles `entry` into bench/.build/<name>/ with the stack's options and measures the result. */
export const bundleFunction = async (
  name: string,
  entry: string,
  substitutes: ModuleSubstitutes = {},
): Promise<BundledFunction> => {
  const outdir = join(BUILD_DIR, name);
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  try {
    return await buildFunction({ entry, outdir, substitutes });
  } catch (error) {
    throw new BenchRunError(`bundle ${name}`, error instanceof Error ? error.message : String(error), error);
  }
};
