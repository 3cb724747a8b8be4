/**
 * Bundles a function exactly as the CDK stack ships it: the esbuild options are derived from the
 * stack's own `BUNDLING` (infra/constructs/provisioner-function.ts) the way NodejsFunction turns
 * them into esbuild arguments (aws-cdk-lib/aws-lambda-nodejs, Bundling.buildEsbuildArgs), so a
 * change to the stack's bundling changes what is measured here.
 * https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_lambda_nodejs.BundlingOptions.html
 */
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { type BuildOptions, build } from 'esbuild';
import { BUNDLING, FUNCTION_RUNTIME } from '../infra/constructs/provisioner-function.ts';
import { REPO_ROOT } from '../infra/paths.ts';
import { UnsupportedBundlingOptionError } from './errors.ts';

export const BUILD_DIR = fileURLToPath(new URL('./.build/', import.meta.url));

/** Options that run extra steps around esbuild; if the stack ever uses one, the bundle would differ. */
const UNSUPPORTED: readonly (keyof BundlingOptions)[] = [
  'esbuildArgs',
  'preCompilation',
  'commandHooks',
  'nodeModules',
  'inject',
];

/** NodejsFunction's default target when none is set: the runtime's Node.js major. */
const runtimeTarget = (): string => `node${/nodejs(\d+)/.exec(FUNCTION_RUNTIME.name)?.[1] ?? ''}`;

const externalsOf = (bundling: BundlingOptions): string[] =>
  bundling.externalModules ?? (bundling.bundleAwsSDK === true ? [] : ['@aws-sdk/*']);

const sourcemapOf = (bundling: BundlingOptions): BuildOptions['sourcemap'] => {
  const mode = bundling.sourceMapMode;
  if (mode !== undefined) return mode === 'default' ? true : mode;
  return bundling.sourceMap === true;
};

/** The esbuild options NodejsFunction passes for `bundling`, writing into `outdir`. */
export const esbuildOptionsFor = (
  entry: string,
  outdir: string,
  bundling: BundlingOptions = BUNDLING,
): BuildOptions => {
  for (const option of UNSUPPORTED) {
    if (bundling[option] !== undefined) throw new UnsupportedBundlingOptionError(option);
  }
  const esm = bundling.format === 'esm';
  return {
    absWorkingDir: REPO_ROOT,
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: bundling.target ?? runtimeTarget(),
    ...(bundling.format === undefined ? {} : { format: bundling.format }),
    outfile: join(outdir, esm ? 'index.mjs' : 'index.js'),
    minify: bundling.minify === true,
    sourcemap: sourcemapOf(bundling),
    sourcesContent: bundling.sourcesContent ?? true,
    external: externalsOf(bundling),
    ...(bundling.loader === undefined ? {} : { loader: bundling.loader as BuildOptions['loader'] }),
    ...(bundling.define === undefined ? {} : { define: bundling.define }),
    keepNames: bundling.keepNames === true,
    ...(bundling.tsconfig === undefined ? {} : { tsconfig: bundling.tsconfig }),
    ...(bundling.banner === undefined ? {} : { banner: { js: bundling.banner } }),
    ...(bundling.footer === undefined ? {} : { footer: { js: bundling.footer } }),
    ...(bundling.mainFields === undefined ? {} : { mainFields: bundling.mainFields }),
    logLevel: 'warning',
  };
};

export interface BundledFunction {
  /** The file Lambda would load (index.mjs for ESM). */
  readonly file: string;
  /** Size of the code file alone, the part Node parses at cold start. */
  readonly bytes: number;
  /** Size of the source map shipped next to it. */
  readonly mapBytes: number;
}

/** Bundles `entry` into bench/.build/<name>/ with the stack's options and measures the result. */
export const bundleFunction = async (name: string, entry: string): Promise<BundledFunction> => {
  const outdir = join(BUILD_DIR, name);
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  const options = esbuildOptionsFor(entry, outdir);
  await build(options);
  const file = options.outfile as string;
  const mapBytes = await stat(`${file}.map`).then(
    (map) => map.size,
    () => 0,
  );
  return { file, bytes: (await stat(file)).size, mapBytes };
};
