/**
 * Bundles a function exactly as the CDK stack ships it: the esbuild options are derived from the
 * stack's own `BUNDLING` (infra/constructs/provisioner-function.ts) the way NodejsFunction turns
 * them into esbuild arguments (aws-cdk-lib/aws-lambda-nodejs, Bundling.buildEsbuildArgs), so a
 * change to the stack's bundling changes what is measured here.
 * https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_lambda_nodejs.BundlingOptions.html
 *
 * A variant of a function is the same entry with modules substituted at bundle time (e.g. the
 * Twilio client by one over the `twilio` library), so it runs the function's own code path.
 */
import { mkdir, rm, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { type BuildOptions, build, type Plugin } from 'esbuild';
import { BUNDLING, FUNCTION_RUNTIME } from '../infra/constructs/provisioner-function.ts';
import { REPO_ROOT } from '../infra/paths.ts';
import { BenchRunError, UnsupportedBundlingOptionError } from './errors.ts';

export const BUILD_DIR = fileURLToPath(new URL('.build', import.meta.url));

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
  /** The source files bundled, relative to the repository root (e.g. node_modules/undici/index.js). */
  readonly inputs: readonly string[];
}

/** Modules bundled in place of others: the absolute path of each module replaced, to its stand-in's. */
export type ModuleSubstitutes = Readonly<Record<string, string>>;

/** Marks the plugin's own resolutions, which it must not substitute again. */
const OWN_RESOLUTION = { substituting: true };

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Puts each stand-in in place of the module it replaces, whoever imports it and however the
 * import is spelled: an import is matched on the path it resolves to. `unreached` names the
 * replaced modules no import led to, so a moved or renamed module cannot silently stay in.
 */
const substitution = (substitutes: ModuleSubstitutes): { plugin: Plugin; unreached: () => string[] } => {
  const standIns = new Map(Object.entries(substitutes).map(([from, to]) => [resolve(from), resolve(to)]));
  const reached = new Set<string>();
  // Only imports ending in a replaced module's file name can resolve to it; the rest go unasked.
  const names = [...new Set([...standIns.keys()].map((file) => escapeRegExp(basename(file))))];
  const filter = new RegExp(`(^|[/\\\\])(${names.join('|')})$`);
  const plugin: Plugin = {
    name: 'bench-module-substitution',
    setup(esbuild) {
      esbuild.onResolve({ filter }, async (args) => {
        if (args.pluginData === OWN_RESOLUTION) return undefined;
        const resolved = await esbuild.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: OWN_RESOLUTION,
        });
        const standIn = standIns.get(resolved.path);
        if (standIn === undefined) return undefined;
        reached.add(resolved.path);
        return { path: standIn };
      });
    },
  };
  return { plugin, unreached: () => [...standIns.keys()].filter((from) => !reached.has(from)) };
};

/**
 * Bundles `entry` into bench/.build/<name>/ with the stack's options and measures the result;
 * `substitutes` replace modules of the entry's graph (the only departure from the stack's build).
 */
export const bundleFunction = async (
  name: string,
  entry: string,
  substitutes: ModuleSubstitutes = {},
): Promise<BundledFunction> => {
  const outdir = join(BUILD_DIR, name);
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  const options = esbuildOptionsFor(entry, outdir);
  const { plugin, unreached } = substitution(substitutes);
  const plugins = Object.keys(substitutes).length === 0 ? [] : [plugin];
  const { metafile } = await build({ ...options, metafile: true, plugins });
  const missed = unreached();
  if (missed.length > 0) {
    throw new BenchRunError(`bundle ${name}`, `no import of ${entry} leads to ${missed.join(', ')}`);
  }
  const file = options.outfile as string;
  const mapBytes = await stat(`${file}.map`).then(
    (map) => map.size,
    () => 0,
  );
  return { file, bytes: (await stat(file)).size, mapBytes, inputs: Object.keys(metafile.inputs) };
};
