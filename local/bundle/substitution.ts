/**
 * Modules bundled in place of others (a benchmark variant: the same entry with its Twilio client
 * swapped), matched on the path an import resolves to, whoever imports it and however it is spelled.
 */
import { basename, resolve } from 'node:path';
import type { Plugin } from 'esbuild';

/** The absolute path of each module replaced, to its stand-in's. */
export type ModuleSubstitutes = Readonly<Record<string, string>>;

/** Marks the plugin's own resolutions, which it must not substitute again. */
const OWN_RESOLUTION = { substituting: true };

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `unreached` names the replaced modules no import led to, so a moved or renamed module cannot
 * silently stay in.
 */
export const substitution = (
  substitutes: ModuleSubstitutes,
): { plugin: Plugin; unreached: () => string[] } => {
  const standIns = new Map(Object.entries(substitutes).map(([from, to]) => [resolve(from), resolve(to)]));
  const reached = new Set<string>();
  // Only imports ending in a replaced module's file name can resolve to it; the rest go unasked.
  const names = [...new Set([...standIns.keys()].map((file) => escapeRegExp(basename(file))))];
  const filter = new RegExp(`(^|[/\\\\])(${names.join('|')})$`);
  const plugin: Plugin = {
    name: 'module-substitution',
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
