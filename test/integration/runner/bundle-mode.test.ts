import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUNDLE_CACHE_ENV, BundleBuildError } from '../../../local/bundle/index.ts';
import {
  type EventSourceRunner,
  type HandlerModuleMode,
  type InvocationReport,
  SOURCE_MODE_ENV,
  startEventSourceRunner,
} from '../../../local/runner/index.ts';
import { type QueueFixture, REGION, sendEvent, startQueueFixture } from './support.ts';

const fixture = (name: string): string => join(import.meta.dirname, 'fixtures', name);
const PROBE = fixture('bundle-probe.ts');
const BROKEN = fixture('does-not-bundle.ts');
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface ProbeReport {
  moduleUrl: string;
  execArgv: string[];
  typescript: boolean;
  stack: string;
  label: string;
}

describe('event source runner: the handler module as deployed (bundle) or from its sources', () => {
  let queue: QueueFixture;
  let runner: EventSourceRunner | undefined;
  let markerDir: string;
  let cacheDir: string;
  const savedEnv = { cache: process.env[BUNDLE_CACHE_ENV], source: process.env[SOURCE_MODE_ENV] };

  beforeEach(async () => {
    queue = await startQueueFixture({ visibilityTimeoutSeconds: 2 });
    markerDir = mkdtempSync(join(tmpdir(), 'runner-probe-'));
    // A cache of this test's own, so what it sees built is built by it.
    cacheDir = mkdtempSync(join(tmpdir(), 'runner-bundles-'));
    process.env[BUNDLE_CACHE_ENV] = cacheDir;
    delete process.env[SOURCE_MODE_ENV];
  });

  afterEach(async () => {
    await runner?.stop();
    runner = undefined;
    await queue.stop();
    rmSync(markerDir, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
    for (const [name, value] of [
      [BUNDLE_CACHE_ENV, savedEnv.cache],
      [SOURCE_MODE_ENV, savedEnv.source],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  const start = async (path: string, mode?: HandlerModuleMode, label = '') => {
    const reports: InvocationReport[] = [];
    runner = await startEventSourceRunner({
      sqs: queue.sqs,
      queueUrl: queue.topology.queueUrl,
      queueArn: queue.topology.queueArn,
      region: REGION,
      maxConcurrency: 1,
      handlerModule: {
        path,
        ...(mode === undefined ? {} : { mode }),
        env: {
          MARKER_DIR: markerDir,
          PROBE_LABEL: label,
          PROBE_TYPESCRIPT_URL: pathToFileURL(fixture('typescript-only.ts')).href,
        },
      },
      onInvocation: (report) => reports.push(report),
    });
    return reports;
  };

  /** Sends one record and reads what the probe saw while handling it. */
  const probeOnce = async (): Promise<ProbeReport> => {
    const { MessageId } = await sendEvent(queue, 't-1', '{}');
    await runner!.drained({ timeoutMs: 20_000 });
    return JSON.parse(readFileSync(join(markerDir, `probe-${MessageId}.json`), 'utf8')) as ProbeReport;
  };

  it('runs a TypeScript entry as the bundle CDK ships, with source maps and no TypeScript loader', async () => {
    await start(PROBE);
    const seen = await probeOnce();
    expect(fileURLToPath(seen.moduleUrl).startsWith(cacheDir)).toBe(true);
    expect(seen.moduleUrl).toMatch(/\/index\.mjs$/);
    // The thread's own flags, as the stack's NODE_OPTIONS; nothing of tsx, so no .ts can load.
    expect(seen.execArgv).toEqual(['--enable-source-maps']);
    expect(seen.typescript).toBe(false);
    // The minified bundle's stack trace points at the TypeScript source.
    expect(seen.stack).toMatch(/bundle-probe\.ts:\d+/);
  });

  it('runs the sources through tsx in source mode, or by default with LOCAL_RUNNER_SOURCE=1', async () => {
    await start(PROBE, 'source');
    const explicit = await probeOnce();
    expect(explicit.moduleUrl).toBe(pathToFileURL(PROBE).href);
    expect(explicit.typescript).toBe(true);
    expect(explicit.execArgv).toEqual(['--enable-source-maps']);
    await runner!.stop();

    process.env[SOURCE_MODE_ENV] = '1';
    await start(PROBE);
    expect((await probeOnce()).moduleUrl).toBe(pathToFileURL(PROBE).href);
    await runner!.stop();
    // An explicit mode still wins over the variable.
    await start(PROBE, 'bundle');
    expect((await probeOnce()).typescript).toBe(false);
    expect(readdirSync(cacheDir).some((entry) => /^[0-9a-f]{32}$/.test(entry))).toBe(true);
  });

  it('fails the start on a bundling mistake, before any record is received', async () => {
    await sendEvent(queue, 't-1', '{}');
    const started = start(BROKEN);
    await expect(started).rejects.toBeInstanceOf(BundleBuildError);
    await expect(started).rejects.toThrow(/no-such-module/);
    // The record was never received: it is still there for a fixed handler.
    expect(runner).toBeUndefined();
  });

  it('from the sources, the same mistake only surfaces as an init error of the environment', async () => {
    await sendEvent(queue, 't-1', '{}');
    const reports = await start(BROKEN, 'source');
    await expect.poll(() => reports.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    expect(reports[0]).toMatchObject({ outcome: 'error', error: { type: 'HandlerInitError' } });
    expect(reports[0]!.error!.message).toContain('Runtime.ImportModuleError');
  });

  it('reuses the bundle while the sources are unchanged and rebuilds when one changes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runner-edit-'));
    try {
      const entry = join(dir, 'handler.ts');
      const version = (label: string) =>
        `import { writeFileSync } from 'node:fs';
         export const handler = async (event: { Records: { messageId: string }[] }) => {
           for (const r of event.Records)
             writeFileSync(process.env.MARKER_DIR + '/probe-' + r.messageId + '.json',
               JSON.stringify({ moduleUrl: import.meta.url, label: ${JSON.stringify(label)} }));
         };\n`;
      writeFileSync(entry, version('first'));
      await start(entry);
      const first = await probeOnce();
      await runner!.stop();
      await start(entry);
      const again = await probeOnce();
      await runner!.stop();
      expect(again.moduleUrl).toBe(first.moduleUrl);

      writeFileSync(entry, version('second'));
      await start(entry);
      const edited = await probeOnce();
      expect(edited.label).toBe('second');
      expect(edited.moduleUrl).not.toBe(first.moduleUrl);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('bundle cache: builders in parallel processes', () => {
  it('end up with one complete bundle and no leftovers', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'runner-bundles-parallel-'));
    try {
      const script = `import { cachedBundle } from ${JSON.stringify(pathToFileURL(join(REPO_ROOT, 'local/bundle/index.ts')).href)};
        const bundle = await cachedBundle({ entry: ${JSON.stringify(PROBE)}, cacheDir: ${JSON.stringify(cacheDir)} });
        process.stdout.write(JSON.stringify(bundle));`;
      const run = () =>
        new Promise<{ file: string; key: string; built: boolean }>((resolve, reject) => {
          const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
            cwd: REPO_ROOT,
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          let out = '';
          let err = '';
          child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
          child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
          child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(err))));
        });
      const results = await Promise.all([run(), run(), run()]);
      expect(new Set(results.map((result) => result.file)).size).toBe(1);
      // The lock lets one process build while the others wait for its result.
      expect(results.filter((result) => result.built)).toHaveLength(1);
      const entries = readdirSync(cacheDir).sort();
      expect(entries).toEqual([results[0]!.key, 'recipes']);
      expect(readdirSync(join(cacheDir, results[0]!.key)).sort()).toEqual(['index.mjs', 'index.mjs.map']);
      expect(readdirSync(join(cacheDir, 'recipes')).every((name) => name.endsWith('.json'))).toBe(true);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  }, 60_000);
});
