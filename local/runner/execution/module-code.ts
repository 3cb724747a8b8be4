/**
 * What an isolated execution environment runs for a handler module, decided once when the runner
 * starts. In `bundle` mode: the function as CDK ships it (local/bundle builds a TypeScript entry
 * with the stack's esbuild options, once per content; a `.js` / `.mjs` file is taken as a built
 * bundle), imported by a runtime that is plain JavaScript too, so no TypeScript loader ever
 * loads in the thread. In `source` mode: the file itself, through tsx, for debugging. Either way
 * the thread gets its own Node flags instead of inheriting the runner's (which, under tsx, would
 * load tsx in every environment).
 */
import { extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { HandlerModuleMode, HandlerSource } from '../options.ts';

export interface ModuleCode {
  readonly mode: HandlerModuleMode;
  /** The module the environment imports at init (a bundle in `bundle` mode). */
  readonly moduleUrl: string;
  /** The thread's entry: the runtime that imports the module and serves invocations. */
  readonly entryUrl: URL;
  /** The thread's Node flags: source maps on, as the stack's NODE_OPTIONS sets them. */
  readonly execArgv: readonly string[];
  readonly exportName: string;
  readonly env: Record<string, string>;
}

const TYPESCRIPT = new Set(['.ts', '.mts', '.cts', '.tsx']);

/** The stack sets NODE_OPTIONS=--enable-source-maps on every function (provisioner-function.ts). */
const EXEC_ARGV = ['--enable-source-maps'] as const;

const RUNTIME = new URL('./worker-runtime.mjs', import.meta.url);
/** Registers tsx in the thread, then starts the same runtime. */
const SOURCE_BOOTSTRAP = new URL('./worker-bootstrap.mjs', import.meta.url);

/** The bundle CDK would deploy for a TypeScript entry; the bundler loads only when one is needed. */
const bundled = async (file: string): Promise<string> => {
  if (!TYPESCRIPT.has(extname(file))) return file;
  const { cachedBundle } = await import('../../bundle/index.ts');
  return (await cachedBundle({ entry: file })).file;
};

export const prepareModuleCode = async (
  source: Extract<HandlerSource, { kind: 'module' }>,
): Promise<ModuleCode> => {
  const common = { mode: source.mode, exportName: source.exportName, env: source.env, execArgv: EXEC_ARGV };
  if (source.mode === 'source') {
    return { ...common, moduleUrl: pathToFileURL(source.file).href, entryUrl: SOURCE_BOOTSTRAP };
  }
  return { ...common, moduleUrl: pathToFileURL(await bundled(source.file)).href, entryUrl: RUNTIME };
};
