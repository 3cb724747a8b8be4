/**
 * The benchmark's own child processes (the event-source runner with its environments) as plain
 * JavaScript, so that what is measured in them is the runner and the function, not tsx: run
 * through tsx, the runner process starts about 30 MiB larger. Built with esbuild from the
 * sources, dependencies left to node_modules; each module keeps its own `import.meta.url` (the
 * runner finds its environments' runtime next to its source), and the bundler, which a child
 * never needs (it is handed prebuilt bundles), is left out.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin, transform } from 'esbuild';
import { REPO_ROOT } from '../infra/paths.ts';
import { BUILD_DIR } from './bundle.ts';

const BUNDLER = fileURLToPath(new URL('../local/bundle/index.ts', import.meta.url));
const NO_BUNDLER = fileURLToPath(new URL('./variants/no-bundler.ts', import.meta.url));

/** Every first-party module that reads `import.meta.url` gets its own source file's URL. */
const keepImportMetaUrl: Plugin = {
  name: 'keep-import-meta-url',
  setup(esbuild) {
    esbuild.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes('/node_modules/')) return undefined;
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      // A define, not a text replacement: a string that merely mentions it stays as it is.
      const { code } = await transform(text, {
        loader: 'ts',
        format: 'esm',
        define: { 'import.meta.url': JSON.stringify(pathToFileURL(args.path).href) },
      });
      return { contents: code, loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

const withoutBundler: Plugin = {
  name: 'without-bundler',
  setup(esbuild) {
    esbuild.onResolve({ filter: /[/\\]bundle[/\\]index\.ts$/ }, async (args) => {
      if (args.pluginData === 'resolving') return undefined;
      const resolved = await esbuild.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: 'resolving',
      });
      return resolved.path === BUNDLER ? { path: NO_BUNDLER } : undefined;
    });
  },
};

/** Builds `entry` (a bench child script) into bench/.build/<name>/index.mjs for plain `node`. */
export const bundleChild = async (name: string, entry: string): Promise<string> => {
  const outfile = join(BUILD_DIR, name, 'index.mjs');
  await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node.split('.')[0]}`,
    packages: 'external',
    outfile,
    plugins: [keepImportMetaUrl, withoutBundler],
    logLevel: 'warning',
  });
  return outfile;
};
