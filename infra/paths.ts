import { fileURLToPath } from 'node:url';

/** Repository root: NodejsFunction bundles from here and resolves esbuild and dependencies in its node_modules. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

const fromRoot = (relative: string): string => fileURLToPath(new URL(`../${relative}`, import.meta.url));

export const DEPS_LOCK_FILE = fromRoot('package-lock.json');

export const HANDLER_ENTRY = {
  tenantEvents: fromRoot('functions/tenant-events/handler.ts'),
  reconcile: fromRoot('functions/reconcile/handler.ts'),
  closeSweep: fromRoot('functions/close-sweep/handler.ts'),
} as const;
