/**
 * The esbuild options CDK's NodejsFunction passes for the stack's own `BUNDLING`
 * (infra/constructs/provisioner-function.ts), derived the way Bundling.buildEsbuildArgs in
 * aws-cdk-lib/aws-lambda-nodejs turns BundlingOptions into esbuild arguments, so that a change to
 * the stack's bundling changes every local build with it.
 * https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_lambda_nodejs.BundlingOptions.html
 */
import { join } from 'node:path';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';
import { BUNDLING, FUNCTION_RUNTIME } from '../../infra/constructs/provisioner-function.ts';
import { REPO_ROOT } from '../../infra/paths.ts';
import { UnsupportedBundlingOptionError } from './errors.ts';

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

/** The file name NodejsFunction gives the bundle: index.mjs for ESM, index.js otherwise. */
export const bundleFileName = (bundling: BundlingOptions = BUNDLING): string =>
  bundling.format === 'esm' ? 'index.mjs' : 'index.js';

/** The esbuild options NodejsFunction passes for `bundling`, writing into `outdir`. */
export const esbuildOptionsFor = (
  entry: string,
  outdir: string,
  bundling: BundlingOptions = BUNDLING,
): BuildOptions => {
  for (const option of UNSUPPORTED) {
    if (bundling[option] !== undefined) throw new UnsupportedBundlingOptionError(option);
  }
  return {
    absWorkingDir: REPO_ROOT,
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: bundling.target ?? runtimeTarget(),
    ...(bundling.format === undefined ? {} : { format: bundling.format }),
    outfile: join(outdir, bundleFileName(bundling)),
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
