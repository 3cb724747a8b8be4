/**
 * `npm run bench:scale`: provisioning at scale, end to end. 10,000 `tenant.created` events are
 * queued at once (a backfill's burst), and the local event-source runner provisions them through
 * the shipped bundle with the stack's batch size (10) and `maxConcurrency` 10, against the local
 * cloud made slow and limited like the real services: Twilio +50 ms per call and a concurrency
 * limit (429 / 20429 with Retry-After past N requests in flight, as Twilio limits each account),
 * the subaccount limit raised for the run, Secrets Manager +20 ms and DynamoDB +5 ms per call.
 *
 * Reports tenants per second against the bound latency and concurrency allow (`boundRatio`),
 * Twilio's 429s, retries, enqueue-to-provisioned p50/p99, the runner's peak RSS, and whether every
 * tenant was provisioned exactly once (subaccounts per FriendlyName, secrets per tenant). Writes
 * `scale` into bench/results.json. TENANT_CONCURRENCY is the one `suggestedTenantConcurrency`
 * derives from Twilio's limit unless given; `--sweep` first runs 1,000 tenants at each of
 * 1, 2, 3, 5 and 10, which shows what happens on either side of it. docs/capacity.md reads the
 * figures.
 *
 *   npm run bench:scale                    # 10,000 tenants, about three minutes
 *   npm run bench:scale -- --sweep         # the sweep first (about four minutes more)
 *   npx tsx bench/scale.ts --tenants 2000 --twilio-limit 20 --tenant-concurrency 2   # to bench/.build/
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { HANDLER_ENTRY, REPO_ROOT } from '../infra/paths.ts';
import { type LocalCloud, startLocalCloud } from '../local/cloud.ts';
import { ENV } from '../shared/contracts/env-names.ts';
import { messageOf, publishMessages } from '../shared/publishing/publisher.ts';
import { BUILD_DIR, type BundledFunction, bundleFunction } from './bundle.ts';
import { bundleChild } from './child-bundle.ts';
import { BenchRunError } from './errors.ts';
import { freshTenantId, tenantEvents } from './events.ts';
import { deployedFunctionEnv, FUNCTION_TIMEOUT_MS } from './lambda-env.ts';
import type { ScaleChildReport, ScaleChildSettings } from './scale-child.ts';
import { mib, round } from './stats.ts';

const CHILD = fileURLToPath(new URL('./scale-child.ts', import.meta.url));
const RESULTS = fileURLToPath(new URL('./results.json', import.meta.url));

/** The latency injected per call, and what a created event makes of it (docs/capacity.md). */
export const LATENCY_MS = { twilio: 50, secrets: 20, dynamodb: 5 } as const;
/** A tenant.created for a new tenant: the FriendlyName list and the create. */
export const TWILIO_CALLS_PER_CREATED = 2;
const BATCH_SIZE = 10;

export interface ScaleSettings {
  readonly tenants: number;
  readonly maxConcurrency: number;
  readonly twilioConcurrencyLimit: number;
  /** TENANT_CONCURRENCY: how many tenants of one batch run side by side. */
  readonly tenantConcurrency: number;
}

export interface ScaleBound {
  /** One tenant's chain of calls when nothing waits: the time one record takes. */
  readonly chainMs: number;
  /** What Twilio's concurrency limit allows: N requests in flight, each held `twilio` ms, 2 per tenant. */
  readonly twilioTenantsPerSecond: number;
  /** What the environments allow: maxConcurrency batches, each ceil(10 / TENANT_CONCURRENCY) chains long. */
  readonly lambdaTenantsPerSecond: number;
  readonly tenantsPerSecond: number;
  readonly limitedBy: 'twilio' | 'lambda';
}

/**
 * A created event's calls, in order (shared/domain/apply-tenant-event.ts): the FriendlyName list
 * and DescribeSecret go out together with the ledger lease (whose write also records the create
 * intent); then the create, CreateSecret and the ledger commit, one after the other.
 */
export const scaleBound = (settings: ScaleSettings): ScaleBound => {
  const { twilio, secrets, dynamodb } = LATENCY_MS;
  const chainMs = Math.max(twilio, dynamodb, secrets) + twilio + secrets + dynamodb;
  const twilioTenantsPerSecond =
    settings.twilioConcurrencyLimit / ((TWILIO_CALLS_PER_CREATED * twilio) / 1000);
  const chainsPerBatch = Math.ceil(BATCH_SIZE / Math.min(BATCH_SIZE, settings.tenantConcurrency));
  const lambdaTenantsPerSecond = (settings.maxConcurrency * BATCH_SIZE) / ((chainsPerBatch * chainMs) / 1000);
  const limitedBy = twilioTenantsPerSecond <= lambdaTenantsPerSecond ? 'twilio' : 'lambda';
  return {
    chainMs,
    twilioTenantsPerSecond: round(twilioTenantsPerSecond),
    lambdaTenantsPerSecond: round(lambdaTenantsPerSecond),
    tenantsPerSecond: round(Math.min(twilioTenantsPerSecond, lambdaTenantsPerSecond)),
    limitedBy,
  };
};

export interface ScaleRun extends ScaleSettings {
  readonly tenantsPerSecond: number;
  readonly elapsedMs: number;
  readonly twilio429: number;
  /** Twilio requests beyond the 2 a tenant needs: each a retry (almost all of them after a 429). */
  readonly retries: number;
  /** Records that failed an invocation and came back after the visibility timeout. */
  readonly redeliveries: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly peakRssMiB: number;
  readonly bound: ScaleBound;
  readonly boundRatio: number;
  /** Tenants with no subaccount or no secret. */
  readonly lost: number;
  /** Tenants with more than one subaccount or secret. */
  readonly duplicates: number;
  readonly deadLettered: number;
  readonly callsPerTenant: { readonly twilio: number; readonly secrets: number; readonly dynamodb: number };
  readonly runnerCpuMsPerTenant: number;
  readonly firstProblem?: string;
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/** Stack-like queue settings: the function timeout, and the stack's maxReceiveCount (5). */
const QUEUE = { visibilityTimeoutSeconds: FUNCTION_TIMEOUT_MS / 1000, maxReceiveCount: 5 } as const;

const startScaleCloud = async (settings: ScaleSettings): Promise<LocalCloud> => {
  const cloud = await startLocalCloud({
    ...QUEUE,
    twilio: {
      subaccountLimit: settings.tenants + 1_000,
      concurrencyLimit: settings.twilioConcurrencyLimit,
    },
  });
  cloud.twilio.injectFault({ route: '*', fault: { kind: 'latency', ms: LATENCY_MS.twilio } });
  cloud.secrets.injectFault({ operation: '*', fault: { kind: 'latency', ms: LATENCY_MS.secrets } });
  cloud.dynamodb.faults.setLatency(LATENCY_MS.dynamodb);
  return cloud;
};

interface ChildHandle {
  readonly ready: Promise<void>;
  readonly report: Promise<ScaleChildReport>;
  start(): void;
}

const spawnChild = (file: string, settings: ScaleChildSettings, env: Record<string, string>): ChildHandle => {
  const child = spawn(process.execPath, [file, JSON.stringify(settings)], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  const chunks: Buffer[] = [];
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdio[3]?.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    child.on('close', () =>
      reject(new BenchRunError('scale', `runner process ended early: ${stderr.slice(-2000)}`)),
    );
  });
  const report = new Promise<ScaleChildReport>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const text = Buffer.concat(chunks).toString();
      if (code !== 0 || text === '') {
        reject(new BenchRunError('scale', `runner process exited with ${code}: ${stderr.slice(-2000)}`));
        return;
      }
      resolve(JSON.parse(text) as ScaleChildReport);
    });
  });
  ready.catch(() => {});
  return { ready, report, start: () => child.stdin?.write('go\n') };
};

/** Every tenant's subaccounts (by FriendlyName) and secret, counted from the emulators. */
const countProvisioned = (cloud: LocalCloud, tenantIds: readonly string[]) => {
  const subaccounts = new Map<string, number>();
  for (const account of cloud.twilio.accounts()) {
    subaccounts.set(account.friendly_name, (subaccounts.get(account.friendly_name) ?? 0) + 1);
  }
  const prefix = cloud.env[ENV.secretPrefix];
  const secrets = new Map<string, number>();
  for (const name of cloud.secrets.secretNames()) secrets.set(name, (secrets.get(name) ?? 0) + 1);
  let lost = 0;
  let duplicates = 0;
  for (const tenantId of tenantIds) {
    const accounts = subaccounts.get(`tenant:${tenantId}`) ?? 0;
    const stored = secrets.get(`${prefix}/${tenantId}`) ?? 0;
    if (accounts === 0 || stored === 0) lost += 1;
    if (accounts > 1 || stored > 1) duplicates += 1;
  }
  return { lost, duplicates };
};

export const runScale = async (
  settings: ScaleSettings,
  bundle: BundledFunction,
  log: (line: string) => void = () => {},
): Promise<ScaleRun> => {
  const childFile = await bundleChild('scale-child', CHILD);
  const cloud = await startScaleCloud(settings);
  try {
    const env = {
      ...deployedFunctionEnv(cloud),
      [ENV.tenantConcurrency]: String(settings.tenantConcurrency),
    };
    const child = spawnChild(
      childFile,
      {
        sqsEndpoint: cloud.sqs.url,
        region: cloud.region,
        queueUrl: cloud.sqs.queueUrl,
        queueArn: cloud.sqs.queueArn,
        batchSize: BATCH_SIZE,
        maxConcurrency: settings.maxConcurrency,
        functionTimeoutMs: FUNCTION_TIMEOUT_MS,
        // Room for redeliveries after a visibility timeout, a few times over.
        drainTimeoutMs: Math.max(600_000, settings.tenants * 100),
        handlerFile: bundle.file,
        handlerEnv: env,
      },
      env,
    );
    await child.ready;
    const tenantIds = Array.from({ length: settings.tenants }, () => freshTenantId('scale'));
    const events = tenantIds.map((tenantId) => tenantEvents(tenantId, ['tenant.created'])[0]!);
    const messages = events.map(messageOf);
    const enqueuedAt = new Map<string, number>();
    const started = Date.now();
    // The child starts polling at once; the queue fills as fast as SendMessageBatch goes.
    child.start();
    const results = await publishMessages(
      { sqs: cloud.sqs.client, queueUrl: cloud.sqs.queueUrl },
      messages,
      (chunk) => {
        const at = Date.now();
        for (const result of chunk) if (result.messageId !== undefined) enqueuedAt.set(result.messageId, at);
      },
    );
    const refused = results.filter((result) => result.error !== undefined).length;
    if (refused > 0) throw new BenchRunError('scale', `${refused} event(s) could not be queued`);
    log(`  queued ${settings.tenants} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const report = await child.report;
    if (report.drainError !== undefined) log(`  ${report.drainError}`);
    const latencies = report.done.map(([id, at]) => at - (enqueuedAt.get(id) ?? at)).sort((a, b) => a - b);
    const lastDone = Math.max(...report.done.map(([, at]) => at));
    const elapsedMs = lastDone - started;
    const twilio = cloud.twilio.stats();
    const secrets = cloud.secrets.stats();
    const dynamodb = cloud.dynamodb.stats();
    const { lost, duplicates } = countProvisioned(cloud, tenantIds);
    const { Attributes: dlq = {} } = await cloud.sqs.client.send(
      new GetQueueAttributesCommand({
        QueueUrl: cloud.sqs.dlqUrl,
        AttributeNames: ['ApproximateNumberOfMessages'],
      }),
    );
    const deadLettered = Number(dlq.ApproximateNumberOfMessages ?? 0);
    const tenantsPerSecond = (report.done.length / elapsedMs) * 1000;
    const bound = scaleBound(settings);
    const problem = report.problems[0];
    return {
      ...settings,
      tenantsPerSecond: round(tenantsPerSecond),
      elapsedMs: round(elapsedMs),
      twilio429: twilio.faultsInjected['concurrency-limit'] ?? 0,
      retries: twilio.total - TWILIO_CALLS_PER_CREATED * settings.tenants,
      redeliveries: report.stats.failed,
      p50Ms: round(percentile(latencies, 50)),
      p99Ms: round(percentile(latencies, 99)),
      maxMs: round(latencies.at(-1) ?? Number.NaN),
      peakRssMiB: mib(report.maxRssBytes),
      bound,
      boundRatio: round(tenantsPerSecond / bound.tenantsPerSecond, 2),
      lost,
      duplicates,
      deadLettered,
      callsPerTenant: {
        twilio: round(twilio.total / settings.tenants, 2),
        secrets: round(secrets.total / settings.tenants, 2),
        dynamodb: round(dynamodb.total / settings.tenants, 2),
      },
      runnerCpuMsPerTenant: round(report.cpuMs / settings.tenants, 2),
      ...(problem === undefined
        ? {}
        : {
            firstProblem:
              `${problem.outcome}: ${problem.error?.type ?? ''} ${problem.error?.message ?? ''}`.trim(),
          }),
    };
  } finally {
    await cloud.stop();
  }
};

/**
 * The TENANT_CONCURRENCY that keeps Twilio's requests in flight at about its limit: with T tenants
 * side by side in each of C environments, C·T chains run at once, and each chain spends
 * (2 × Twilio latency) of its `chainMs` in a Twilio call, so about C·T·2·t/chain requests are in
 * flight. T = N·chain / (C·2·t), rounded down (and at least 1): more sends requests past the
 * limit, each answered 429 and retried a Retry-After (1 s) later while its batch waits.
 */
export const suggestedTenantConcurrency = (
  settings: Omit<ScaleSettings, 'tenantConcurrency' | 'tenants'>,
): number => {
  const { chainMs } = scaleBound({ ...settings, tenants: 0, tenantConcurrency: 1 });
  const perEnvironment =
    (settings.twilioConcurrencyLimit * chainMs) /
    (settings.maxConcurrency * TWILIO_CALLS_PER_CREATED * LATENCY_MS.twilio);
  return Math.max(1, Math.min(BATCH_SIZE, Math.floor(perEnvironment)));
};

const describeRun = (run: ScaleRun): string =>
  `${run.tenants} tenants, TENANT_CONCURRENCY ${run.tenantConcurrency}: ${run.tenantsPerSecond} tenants/s ` +
  `(bound ${run.bound.tenantsPerSecond}, ${run.bound.limitedBy}; ratio ${run.boundRatio}), ` +
  `429s ${run.twilio429}, retries ${run.retries}, redeliveries ${run.redeliveries}, ` +
  `p50 ${(run.p50Ms / 1000).toFixed(1)} s, p99 ${(run.p99Ms / 1000).toFixed(1)} s, ` +
  `peak RSS ${run.peakRssMiB} MiB, lost ${run.lost}, duplicates ${run.duplicates}`;

const main = async (): Promise<void> => {
  const { values } = parseArgs({
    options: {
      tenants: { type: 'string', default: '10000' },
      'max-concurrency': { type: 'string', default: '10' },
      'twilio-limit': { type: 'string', default: '10' },
      'tenant-concurrency': { type: 'string' },
      sweep: { type: 'boolean', default: false },
      'sweep-tenants': { type: 'string', default: '1000' },
      'no-write': { type: 'boolean', default: false },
    },
  });
  const base = {
    tenants: Number(values.tenants),
    maxConcurrency: Number(values['max-concurrency']),
    twilioConcurrencyLimit: Number(values['twilio-limit']),
  };
  const loadAtStart = loadavg()[0] ?? 0;
  const bundle = await bundleFunction('tenant-events', HANDLER_ENTRY.tenantEvents);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const sweep: ScaleRun[] = [];
  if (values.sweep) {
    for (const tenantConcurrency of [1, 2, 3, 5, 10]) {
      const run = await runScale(
        { ...base, tenants: Number(values['sweep-tenants']), tenantConcurrency },
        bundle,
        log,
      );
      log(`sweep: ${describeRun(run)}`);
      sweep.push(run);
    }
  }
  const suggested = suggestedTenantConcurrency(base);
  const tenantConcurrency = Number(values['tenant-concurrency'] ?? suggested);
  const full = await runScale({ ...base, tenantConcurrency }, bundle, log);
  log(`full: ${describeRun(full)}`);
  const scale = {
    generatedAt: new Date().toISOString(),
    environment: {
      node: process.version,
      cpus: cpus().length,
      loadAverage1m: { atStart: round(loadAtStart, 2), atEnd: round(loadavg()[0] ?? 0, 2) },
    },
    injectedLatencyMs: LATENCY_MS,
    batchSize: BATCH_SIZE,
    tenantsPerSecond: full.tenantsPerSecond,
    twilio429: full.twilio429,
    retries: full.retries,
    p50Ms: full.p50Ms,
    p99Ms: full.p99Ms,
    peakRssMiB: full.peakRssMiB,
    boundRatio: full.boundRatio,
    /** Against Twilio's limit alone: how much of what the account allows the run used. */
    twilioBoundRatio: round(full.tenantsPerSecond / full.bound.twilioTenantsPerSecond, 2),
    suggestedTenantConcurrency: suggested,
    lost: full.lost,
    duplicates: full.duplicates,
    run: full,
    sweep,
    targets: { boundRatio: { target: '>= 0.7', value: full.boundRatio, met: full.boundRatio >= 0.7 } },
  };
  if (!values['no-write']) {
    const file = base.tenants === 10_000 ? RESULTS : `${BUILD_DIR}/scale-${base.tenants}.json`;
    const existing =
      file === RESULTS ? (JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>) : {};
    await writeFile(file, `${JSON.stringify({ ...existing, scale }, null, 2)}\n`);
    log(`written to ${file}`);
  }
};

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main();
