/**
 * `npm run bench`: every measurement in one run against one local cloud, written to
 * bench/results.json and printed as a table. `--quick` takes fewer samples and writes to
 * bench/.build/results.quick.json instead, to check the benchmark itself works. The `scale` key
 * of results.json belongs to `npm run bench:scale` (bench/scale.ts) and is kept as it is.
 * What each figure means and how it is taken: docs/performance.md.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalCloud } from '../local/cloud.ts';
import { type BatchResult, measureBatch } from './batch.ts';
import { BUILD_DIR } from './bundle.ts';
import { type CallsPerEventResult, measureCallsPerEvent } from './calls-per-event.ts';
import { bundleVariants, type ColdStartResult, measureColdStart } from './cold-start.ts';
import { type ImportCost, measureImportCosts } from './import-cost.ts';
import { deployedFunctionEnv } from './lambda-env.ts';
import { round } from './stats.ts';
import { formatResults } from './table.ts';
import { checkTargets, type TargetCheck } from './targets.ts';
import { measureThroughput, type ThroughputResult } from './throughput.ts';

export interface BenchResults {
  readonly generatedAt: string;
  readonly environment: Readonly<Record<string, unknown>>;
  readonly coldStart: ColdStartResult & { readonly importCost: Readonly<Record<string, ImportCost>> };
  readonly batch: BatchResult;
  readonly callsPerEvent: CallsPerEventResult;
  readonly throughput: ThroughputResult;
  readonly targets: Readonly<Record<string, TargetCheck>>;
}

const quick = process.argv.includes('--quick');
const SETTINGS = quick
  ? {
      coldStartRepetitions: 2,
      importRepetitions: 2,
      batchRepetitions: 2,
      callTenants: 1,
      throughputEvents: 100,
    }
  : {
      coldStartRepetitions: 9,
      importRepetitions: 7,
      batchRepetitions: 7,
      callTenants: 3,
      throughputEvents: 1000,
    };

const step = async <T>(label: string, run: () => Promise<T>): Promise<T> => {
  const started = performance.now();
  process.stderr.write(`${label}...`);
  const result = await run();
  process.stderr.write(` ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return result;
};

const environment = (loadAtStart: number[]) => ({
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? 'unknown',
  // Other work on the machine moves every timing; the load average says how busy it was.
  loadAverage1m: { atStart: round(loadAtStart[0] ?? 0, 2), atEnd: round(loadavg()[0] ?? 0, 2) },
  quick,
});

const main = async (): Promise<void> => {
  const started = performance.now();
  const loadAtStart = loadavg();
  // Every run creates thousands of subaccounts; the emulator's default cap is a real account's.
  const cloud = await startLocalCloud({ twilio: { subaccountLimit: 100_000 } });
  try {
    const bundles = await step('bundling with the stack options', bundleVariants);
    const callsPerEvent = await step('calls per event', () =>
      measureCallsPerEvent(cloud, { tenants: SETTINGS.callTenants }),
    );
    const batch = await step('batch concurrency', () =>
      measureBatch(cloud, bundles.handler, { repetitions: SETTINGS.batchRepetitions }),
    );
    const coldStart = await step('cold start', () =>
      measureColdStart(cloud, bundles, { repetitions: SETTINGS.coldStartRepetitions }),
    );
    const importCost = await step('import cost per dependency', () =>
      measureImportCosts(deployedFunctionEnv(cloud), { repetitions: SETTINGS.importRepetitions }),
    );
    const throughput = await step('throughput', () =>
      measureThroughput(bundles.handler, { events: SETTINGS.throughputEvents }),
    );
    const results: BenchResults = {
      generatedAt: new Date().toISOString(),
      environment: {
        ...environment(loadAtStart),
        durationSeconds: round((performance.now() - started) / 1000),
      },
      coldStart: { ...coldStart, importCost },
      batch,
      callsPerEvent,
      throughput,
      targets: checkTargets({ coldStart, batch, callsPerEvent, throughput }),
    };
    const file = quick
      ? join(BUILD_DIR, 'results.quick.json')
      : fileURLToPath(new URL('./results.json', import.meta.url));
    // `npm run bench:scale` writes its own key into the same file; a run of this one keeps it.
    const previous = await readFile(file, 'utf8').then(
      (text) => JSON.parse(text) as { scale?: unknown },
      () => ({}) as { scale?: unknown },
    );
    const written = previous.scale === undefined ? results : { ...results, scale: previous.scale };
    await writeFile(file, `${JSON.stringify(written, null, 2)}\n`);
    process.stdout.write(`${formatResults(results)}\n\nWritten to ${file}\n`);
  } finally {
    await cloud.stop();
  }
};

await main();
