/**
 * Concurrency inside one invocation: a batch of 10 `tenant.created` records for 10 tenants (their
 * FIFO groups may run side by side) against 10 records of one tenant (one group, strictly in
 * order), with a fixed latency injected into every Twilio and Secrets Manager call so that the
 * waiting, not this machine's speed, dominates. The shipped bundle runs in its own process, as in
 * Lambda, so the emulators' work does not share its event loop.
 */
import type { SQSEvent } from 'aws-lambda';
import type { LocalCloud } from '../local/cloud.ts';
import type { TenantEventType } from '../shared/domain/event.ts';
import type { BundledFunction } from './bundle.ts';
import { BenchRunError } from './errors.ts';
import { freshTenantId, sqsEventOf, tenantEvents } from './events.ts';
import { failedRecords, invokeInFreshProcess } from './invoke.ts';
import { deployedFunctionEnv } from './lambda-env.ts';
import { median, ratio, round } from './stats.ts';

export const TWILIO_LATENCY_MS = 50;
export const SECRETS_LATENCY_MS = 20;
const BATCH_SIZE = 10;

export interface BatchFigures {
  readonly distinctMs: number;
  readonly sameTenantMs: number;
  readonly speedup: number;
  /** CPU time (user + system) of the handler process per batch, median. */
  readonly distinctCpuMs: number;
  readonly sameTenantCpuMs: number;
}

export interface BatchResult extends BatchFigures {
  readonly repetitions: number;
  readonly injectedLatencyMs: { readonly twilio: number; readonly secrets: number };
  /**
   * What the injected latency alone makes each batch last: one tenant's chain for the distinct
   * batch, the sum of all records' chains for the one-tenant batch.
   */
  readonly latencyBoundMs: { readonly distinct: number; readonly sameTenant: number };
  readonly samples: { readonly distinctMs: readonly number[]; readonly sameTenantMs: readonly number[] };
  /** The same batches with Powertools logs and metrics switched off: how much of the CPU is theirs. */
  readonly withoutLogsAndMetrics: BatchFigures;
}

/** created, then delinquent and reinstated in turn: every record changes the subaccount. */
const SAME_TENANT_TYPES: readonly TenantEventType[] = Array.from({ length: BATCH_SIZE }, (_, i) => {
  if (i === 0) return 'tenant.created';
  return i % 2 === 1 ? 'tenant.delinquent' : 'tenant.reinstated';
});

/**
 * The critical path of a create (the FriendlyName lookup runs alongside DescribeSecret, then the
 * create, then CreateSecret) and of a status change (the update, then TagResource: the watermark
 * is the ledger's, so no DescribeSecret; callsPerEvent shows it). DynamoDB is not slowed here.
 */
const latencyBound = () => {
  const create = Math.max(TWILIO_LATENCY_MS, SECRETS_LATENCY_MS) + TWILIO_LATENCY_MS + SECRETS_LATENCY_MS;
  const change = TWILIO_LATENCY_MS + SECRETS_LATENCY_MS;
  return { distinct: create, sameTenant: create + (BATCH_SIZE - 1) * change };
};

/** Powertools switches: no log line below ERROR, no EMF metrics. */
const QUIET_ENV = { POWERTOOLS_LOG_LEVEL: 'ERROR', POWERTOOLS_METRICS_DISABLED: 'true' };

interface Run {
  readonly figures: BatchFigures;
  readonly distinct: readonly number[];
  readonly same: readonly number[];
}

/** Alternating distinct / one-tenant batches in one process; the first pair is the cold one. */
const runBatches = async (
  cloud: LocalCloud,
  bundle: BundledFunction,
  env: Record<string, string>,
  repetitions: number,
): Promise<Run> => {
  const source = { queueArn: cloud.sqs.queueArn, region: cloud.region };
  const distinctBatch = (): SQSEvent =>
    sqsEventOf(
      Array.from({ length: BATCH_SIZE }, () => tenantEvents(freshTenantId('batch'), ['tenant.created'])[0]!),
      source,
    );
  const sameTenantBatch = (): SQSEvent =>
    sqsEventOf(tenantEvents(freshTenantId('batch'), SAME_TENANT_TYPES), source);
  const events = Array.from({ length: repetitions + 1 }, () => [distinctBatch(), sameTenantBatch()]).flat();
  const report = await invokeInFreshProcess(bundle.file, events, env);
  const failed = report.invocations.reduce((sum, run) => sum + failedRecords(run.response, BATCH_SIZE), 0);
  if (failed > 0) throw new BenchRunError('batch', `${failed} record(s) failed`);
  const measured = report.invocations.slice(2);
  const distinct = measured.filter((_, i) => i % 2 === 0);
  const same = measured.filter((_, i) => i % 2 === 1);
  const distinctMs = round(median(distinct.map((run) => run.ms)));
  const sameTenantMs = round(median(same.map((run) => run.ms)));
  return {
    figures: {
      distinctMs,
      sameTenantMs,
      speedup: ratio(sameTenantMs, distinctMs),
      distinctCpuMs: round(median(distinct.map((run) => run.cpuMs))),
      sameTenantCpuMs: round(median(same.map((run) => run.cpuMs))),
    },
    distinct: distinct.map((run) => round(run.ms)),
    same: same.map((run) => round(run.ms)),
  };
};

export const measureBatch = async (
  cloud: LocalCloud,
  bundle: BundledFunction,
  options: { repetitions: number },
): Promise<BatchResult> => {
  const env = deployedFunctionEnv(cloud);
  cloud.twilio.injectFault({ route: '*', fault: { kind: 'latency', ms: TWILIO_LATENCY_MS } });
  cloud.secrets.injectFault({ operation: '*', fault: { kind: 'latency', ms: SECRETS_LATENCY_MS } });
  try {
    const deployed = await runBatches(cloud, bundle, env, options.repetitions);
    const quiet = await runBatches(cloud, bundle, { ...env, ...QUIET_ENV }, options.repetitions);
    return {
      ...deployed.figures,
      repetitions: options.repetitions,
      injectedLatencyMs: { twilio: TWILIO_LATENCY_MS, secrets: SECRETS_LATENCY_MS },
      latencyBoundMs: latencyBound(),
      samples: { distinctMs: deployed.distinct, sameTenantMs: deployed.same },
      withoutLogsAndMetrics: quiet.figures,
    };
  } finally {
    cloud.twilio.clearFaults();
    cloud.secrets.clearFaults();
  }
};
