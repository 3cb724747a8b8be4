/**
 * Where a cold start's init time goes: each main dependency alone, bundled with the stack's
 * esbuild options and imported in a fresh Node process (the handler's environment, source maps
 * on). Import cost is mostly parsing and running module top levels, so it follows what each
 * dependency's entry point pulls in, not what the handler uses of it.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { BUILD_DIR, esbuildOptionsFor } from './bundle.ts';
import { invokeInFreshProcess } from './invoke.ts';
import { median, round } from './stats.ts';

/** Each probe uses what it imports, so esbuild cannot drop it. */
const PROBES: Readonly<Record<string, string>> = {
  // What the handler imports (shared/twilio/transport.ts), next to the package entry it avoids.
  undici: `import Agent from 'undici/lib/dispatcher/agent.js';
    import request from 'undici/lib/api/api-request.js'; export const probe = [Agent, request];`,
  undiciPackageEntry: `import { Agent } from 'undici'; export const probe = Agent;`,
  // zod/mini is what the handler's schemas use; the full API is shown for comparison.
  zodMini: `import { object, string } from 'zod/mini'; export const probe = object({ a: string() });`,
  zodFullApi: `import { z } from 'zod'; export const probe = z;`,
  awsSdkClients: `import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
    import { SQSClient } from '@aws-sdk/client-sqs'; export const probe = [SecretsManagerClient, SQSClient];`,
  powertoolsAndMiddy: `import { Logger } from '@aws-lambda-powertools/logger';
    import { Metrics } from '@aws-lambda-powertools/metrics'; import middy from '@middy/core';
    export const probe = [Logger, Metrics, middy];`,
  twilioLibrary: `import twilio from 'twilio';
    export const probe = twilio('AC00000000000000000000000000000000', 'x').api.v2010.accounts;`,
};

export interface ImportCost {
  readonly bundleBytes: number;
  /** Median import time above an empty module's. */
  readonly ms: number;
}

const bundleProbe = async (name: string, contents: string): Promise<{ file: string; bytes: number }> => {
  const outdir = join(BUILD_DIR, 'probes', name);
  const { entryPoints: _ignored, ...options } = esbuildOptionsFor('probe.ts', outdir);
  const withHandler = `${contents}\nexport const handler = async () => ({ batchItemFailures: [] });`;
  await build({ ...options, stdin: { contents: withHandler, resolveDir: BUILD_DIR, loader: 'ts' } });
  const file = options.outfile as string;
  return { file, bytes: (await stat(file)).size };
};

export const measureImportCosts = async (
  env: Record<string, string>,
  options: { repetitions: number },
): Promise<Record<string, ImportCost>> => {
  const bundles = new Map<string, { file: string; bytes: number }>();
  for (const [name, contents] of Object.entries({ empty: 'export const probe = 1;', ...PROBES })) {
    bundles.set(name, await bundleProbe(name, contents));
  }
  const times = new Map<string, number[]>([...bundles.keys()].map((name) => [name, []]));
  for (let turn = 0; turn < options.repetitions; turn += 1) {
    for (const [name, bundle] of bundles) {
      const report = await invokeInFreshProcess(bundle.file, [], env);
      times.get(name)!.push(report.loadedMs - report.startedMs);
    }
  }
  const floor = median(times.get('empty')!);
  const result: Record<string, ImportCost> = {};
  for (const name of Object.keys(PROBES)) {
    result[name] = {
      bundleBytes: bundles.get(name)!.bytes,
      ms: round(median(times.get(name)!) - floor),
    };
  }
  return result;
};
