/**
 * The function bundle as CDK ships it, built with the stack's own esbuild options
 * (infra/constructs/provisioner-function.ts): `buildFunction` into a given directory (the
 * benchmark), `cachedBundle` once per content into a shared cache (the local runner, `npm start`,
 * the tests). One implementation, so what runs locally is what is deployed.
 */
export { type BuildRequest, type BundledFunction, buildFunction } from './build.ts';
export {
  BUNDLE_CACHE_ENV,
  type BundleRequest,
  bundleCacheDir,
  type CachedBundle,
  cachedBundle,
  DEFAULT_BUNDLE_CACHE_DIR,
} from './cache.ts';
export { BundleBuildError, UnsupportedBundlingOptionError } from './errors.ts';
export { bundleFileName, esbuildOptionsFor } from './esbuild-options.ts';
export type { ModuleSubstitutes } from './substitution.ts';
