/** One build of a function with the stack's options, into a directory of the caller's choosing. */
import { stat } from 'node:fs/promises';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { build } from 'esbuild';
import { BUNDLING } from '../../infra/constructs/provisioner-function.ts';
import { BundleBuildError } from './errors.ts';
import { esbuildOptionsFor } from './esbuild-options.ts';
import { type ModuleSubstitutes, substitution } from './substitution.ts';

export interface BundledFunction {
  /** The file Lambda would load (index.mjs for ESM). */
  readonly file: string;
  /** Size of the code file alone, the part Node parses at cold start. */
  readonly bytes: number;
  /** Size of the source map shipped next to it (0 without one). */
  readonly mapBytes: number;
  /** The files bundled, relative to the repository root (e.g. node_modules/undici/index.js). */
  readonly inputs: readonly string[];
}

export interface BuildRequest {
  readonly entry: string;
  readonly outdir: string;
  /** Modules replaced in the entry's graph: the only departure from the stack's build. */
  readonly substitutes?: ModuleSubstitutes;
  readonly bundling?: BundlingOptions;
}

const sizeOf = (file: string): Promise<number> =>
  stat(file).then(
    (found) => found.size,
    () => 0,
  );

/** Bundles `entry` into `outdir` (which must exist) exactly as `cdk synth` would. */
export const buildFunction = async (request: BuildRequest): Promise<BundledFunction> => {
  const { entry, outdir, substitutes = {}, bundling = BUNDLING } = request;
  const options = esbuildOptionsFor(entry, outdir, bundling);
  const { plugin, unreached } = substitution(substitutes);
  const plugins = Object.keys(substitutes).length === 0 ? [] : [plugin];
  let metafile: { inputs: Record<string, unknown> } | undefined;
  try {
    ({ metafile } = await build({ ...options, metafile: true, plugins }));
  } catch (error) {
    throw new BundleBuildError(entry, error instanceof Error ? error.message : String(error), error);
  }
  const missed = unreached();
  if (missed.length > 0) throw new BundleBuildError(entry, `no import leads to ${missed.join(', ')}`);
  const file = options.outfile as string;
  return {
    file,
    bytes: await sizeOf(file),
    mapBytes: await sizeOf(`${file}.map`),
    inputs: Object.keys(metafile?.inputs ?? {}),
  };
};
