/**
 * Bundles built once and reused, keyed by what they are made of: the build's recipe (esbuild's
 * version, the options derived from the stack, the entry, any substitutes) and the content of
 * every file the last build of that recipe read (its metafile inputs), plus package-lock.json and
 * tsconfig.json. An edit to any bundled file, a dependency upgrade or a change to the stack's
 * BUNDLING makes a new key, so a stale bundle is never run.
 *
 * Safe for parallel builders (vitest workers, several `npm start`s): each builds into a temporary
 * directory next to the final one and renames it into place, so a bundle directory is either
 * complete or absent; a lock directory per recipe keeps them from all building the same thing at
 * once. Layout, under the cache directory:
 *   recipes/<recipe key>.json   the inputs of the last build of that recipe
 *   <content key>/index.mjs     a bundle and its source map, never modified once renamed in
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { version as esbuildVersion } from 'esbuild';
import { BUNDLING } from '../../infra/constructs/provisioner-function.ts';
import { REPO_ROOT } from '../../infra/paths.ts';
import { buildFunction } from './build.ts';
import { bundleFileName, esbuildOptionsFor } from './esbuild-options.ts';
import type { ModuleSubstitutes } from './substitution.ts';

/** Overrides the cache directory (an absolute path, or relative to the working directory). */
export const BUNDLE_CACHE_ENV = 'SUBACCOUNT_PROVISIONER_BUNDLE_CACHE';

/** node_modules is never committed, and `npm ci` starting afresh also empties the cache. */
export const DEFAULT_BUNDLE_CACHE_DIR = join(
  REPO_ROOT,
  'node_modules',
  '.cache',
  'subaccount-provisioner',
  'bundles',
);

/** Files that change what a build resolves to without being bundled themselves. */
const CONTEXT_FILES = ['package-lock.json', 'tsconfig.json'];

/** A lock older than this belongs to a builder that died. */
const STALE_LOCK_MS = 60_000;
const LOCK_POLL_MS = 100;

export interface BundleRequest {
  readonly entry: string;
  readonly substitutes?: ModuleSubstitutes;
  /** The stack's BUNDLING unless given (e.g. the runner's own runtime, built for this Node). */
  readonly bundling?: BundlingOptions;
  readonly cacheDir?: string;
}

export interface CachedBundle {
  /** The bundle to import. */
  readonly file: string;
  /** Its content key: the same key, the same bytes. */
  readonly key: string;
  /** Whether this call built it (false: it came from the cache). */
  readonly built: boolean;
  /** Files bundled, relative to the repository root. */
  readonly inputs: readonly string[];
}

export const bundleCacheDir = (env: NodeJS.ProcessEnv = process.env): string => {
  const chosen = env[BUNDLE_CACHE_ENV];
  return chosen === undefined || chosen === '' ? DEFAULT_BUNDLE_CACHE_DIR : resolve(chosen);
};

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

const isCode = (error: unknown, ...codes: string[]): boolean =>
  typeof error === 'object' && error !== null && 'code' in error && codes.includes(String(error.code));

const repoRelative = (file: string): string => relative(REPO_ROOT, resolve(REPO_ROOT, file));

/** What a build is, apart from the files it reads. */
const recipeKeyOf = (request: BundleRequest, bundling: BundlingOptions): string => {
  const options = esbuildOptionsFor(resolve(request.entry), '<outdir>', bundling);
  const substitutes = Object.entries(request.substitutes ?? {})
    .map(([from, to]) => [repoRelative(from), repoRelative(to)])
    .sort();
  return sha256(
    JSON.stringify({ esbuild: esbuildVersion, entry: repoRelative(request.entry), options, substitutes }),
  ).slice(0, 32);
};

/** Digests of this process's earlier reads, reused while a file's size and mtime are unchanged. */
const digests = new Map<string, { size: number; mtimeMs: number; digest: string }>();

const digestOf = async (file: string): Promise<string | undefined> => {
  const path = isAbsolute(file) ? file : join(REPO_ROOT, file);
  try {
    const found = await stat(path);
    const known = digests.get(path);
    if (known !== undefined && known.size === found.size && known.mtimeMs === found.mtimeMs) {
      return known.digest;
    }
    const digest = sha256(await readFile(path));
    digests.set(path, { size: found.size, mtimeMs: found.mtimeMs, digest });
    return digest;
  } catch (error) {
    if (isCode(error, 'ENOENT', 'ENOTDIR')) return undefined;
    throw error;
  }
};

/** The content key of a recipe's inputs as they are now; undefined when one of them is gone. */
const contentKeyOf = async (recipeKey: string, inputs: readonly string[]): Promise<string | undefined> => {
  const files = [...new Set([...inputs, ...CONTEXT_FILES])].sort();
  const hash = createHash('sha256').update(recipeKey);
  for (const file of files) {
    const digest = await digestOf(file);
    if (digest === undefined && !CONTEXT_FILES.includes(file)) return undefined;
    hash.update(`${file}\0${digest ?? 'absent'}\n`);
  }
  return hash.digest('hex').slice(0, 32);
};

interface Manifest {
  readonly inputs: readonly string[];
  /** This recipe's bundles, newest first: the cache keeps a few, for runs still using them. */
  readonly keys: readonly string[];
}

const readManifest = async (path: string): Promise<Manifest | undefined> => {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<Manifest>;
    if (!Array.isArray(parsed.inputs)) return undefined;
    return {
      inputs: parsed.inputs.map(String),
      keys: Array.isArray(parsed.keys) ? parsed.keys.map(String) : [],
    };
  } catch {
    return undefined;
  }
};

/** Bundles kept per recipe; older ones go once they were made over an hour ago. */
const KEPT_PER_RECIPE = 5;
const UNUSED_FOR_MS = 60 * 60_000;

/** Removes this recipe's oldest bundles, leaving any a run may still import (a recent one). */
const prune = async (cacheDir: string, keys: readonly string[]): Promise<readonly string[]> => {
  const kept = keys.slice(0, KEPT_PER_RECIPE);
  for (const key of keys.slice(KEPT_PER_RECIPE)) {
    const dir = join(cacheDir, key);
    const found = await stat(dir).catch(() => undefined);
    if (found === undefined) continue;
    if (Date.now() - found.mtimeMs < UNUSED_FOR_MS) {
      kept.push(key);
      continue;
    }
    await rm(dir, { recursive: true, force: true });
  }
  return kept;
};

const writeAtomically = async (path: string, text: string): Promise<void> => {
  const temporary = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, path);
};

const exists = (path: string): Promise<boolean> =>
  stat(path).then(
    () => true,
    () => false,
  );

interface Layout {
  readonly cacheDir: string;
  readonly recipeKey: string;
  readonly manifest: string;
  readonly lock: string;
  readonly fileName: string;
}

/** The cached bundle for the recipe's current inputs, if there is one. */
const lookup = async (layout: Layout): Promise<CachedBundle | undefined> => {
  const manifest = await readManifest(layout.manifest);
  if (manifest === undefined) return undefined;
  const key = await contentKeyOf(layout.recipeKey, manifest.inputs);
  if (key === undefined) return undefined;
  const file = join(layout.cacheDir, key, layout.fileName);
  return (await exists(file)) ? { file, key, built: false, inputs: manifest.inputs } : undefined;
};

/**
 * Builds next to the final directory (same depth, so the source map's relative paths stay right)
 * and renames it into place; a directory another builder renamed first is kept instead.
 */
const buildInto = async (layout: Layout, request: BundleRequest, bundling: BundlingOptions) => {
  const temporary = join(layout.cacheDir, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
  await mkdir(temporary, { recursive: true });
  try {
    const built = await buildFunction({
      entry: resolve(request.entry),
      outdir: temporary,
      bundling,
      ...(request.substitutes === undefined ? {} : { substitutes: request.substitutes }),
    });
    const inputs = built.inputs.map(repoRelative);
    const key = await contentKeyOf(layout.recipeKey, inputs);
    if (key === undefined) throw new Error(`an input of ${request.entry} vanished during the build`);
    const final = join(layout.cacheDir, key);
    try {
      await rename(temporary, final);
    } catch (error) {
      if (!isCode(error, 'ENOTEMPTY', 'EEXIST', 'EPERM')) throw error;
    }
    const previous = (await readManifest(layout.manifest))?.keys ?? [];
    const keys = await prune(layout.cacheDir, [key, ...previous.filter((known) => known !== key)]);
    await writeAtomically(layout.manifest, `${JSON.stringify({ inputs, keys }, null, 1)}\n`);
    return { file: join(final, layout.fileName), key, built: true, inputs } satisfies CachedBundle;
  } finally {
    await rm(temporary, { recursive: true, force: true });
  }
};

/** Takes the recipe's lock, or answers false while a live builder holds it. */
const tryLock = async (lock: string): Promise<boolean> => {
  try {
    await mkdir(lock);
    return true;
  } catch (error) {
    if (!isCode(error, 'EEXIST')) throw error;
    const held = await stat(lock).catch(() => undefined);
    if (held !== undefined && Date.now() - held.mtimeMs > STALE_LOCK_MS) {
      await rm(lock, { recursive: true, force: true });
    }
    return false;
  }
};

/**
 * The bundle of `request.entry` as the stack builds it, from the cache when its inputs are
 * unchanged, else built once (other processes asking meanwhile wait for that build).
 */
export const cachedBundle = async (request: BundleRequest): Promise<CachedBundle> => {
  const bundling = request.bundling ?? BUNDLING;
  const cacheDir = request.cacheDir ?? bundleCacheDir();
  const recipeKey = recipeKeyOf(request, bundling);
  const layout: Layout = {
    cacheDir,
    recipeKey,
    manifest: join(cacheDir, 'recipes', `${recipeKey}.json`),
    lock: join(cacheDir, 'recipes', `${recipeKey}.lock`),
    fileName: bundleFileName(bundling),
  };
  await mkdir(join(cacheDir, 'recipes'), { recursive: true });
  const deadline = Date.now() + 2 * STALE_LOCK_MS;
  for (;;) {
    const cached = await lookup(layout);
    if (cached !== undefined) return cached;
    if (await tryLock(layout.lock)) {
      try {
        // Another builder may have finished between the lookup and the lock.
        return (await lookup(layout)) ?? (await buildInto(layout, request, bundling));
      } finally {
        await rm(layout.lock, { recursive: true, force: true });
      }
    }
    // Past the deadline, build without the lock: the rename keeps the result consistent anyway.
    if (Date.now() > deadline) return buildInto(layout, request, bundling);
    await sleep(LOCK_POLL_MS);
  }
};
