/**
 * The real Lambda entry invoked in-process with hand-built batches, for what the local queue
 * cannot produce on demand: several records of one tenant in one batch, and a batch mixing
 * successes, a poison message and a retryable failure.
 */
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../../local/cloud.ts';
import { createLambdaContext } from '../../../local/runner/lambda-context.ts';
import { tenantEvent } from '../../helpers/events.ts';
import { sqsRecord } from '../../helpers/sqs-records.ts';

type Handler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

let cloud: LocalCloud;
let handler: Handler;
let lines: string[] = [];
const savedEnv = { ...process.env };

beforeAll(async () => {
  cloud = await startLocalCloud();
  Object.assign(process.env, cloud.env, { POWERTOOLS_METRICS_DISABLED: 'false', POWERTOOLS_DEV: 'false' });
  vi.resetModules();
  handler = (await import('../../../functions/tenant-events/handler.ts')).handler as unknown as Handler;
}, 60_000);

afterAll(async () => {
  process.env = savedEnv;
  await cloud?.stop();
});

beforeEach(() => {
  lines = [];
  cloud.twilio.clearFaults();
});

const capture = (chunk: unknown) => {
  lines.push(
    ...String(chunk)
      .split('\n')
      .filter((line) => line.trim() !== ''),
  );
  return true;
};

const invoke = async (records: SQSRecord[]) => {
  const context = createLambdaContext({
    awsRequestId: 'req-1',
    functionName: 'tenant-events',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:tenant-events',
    memoryLimitInMB: '512',
    logGroupName: '/aws/lambda/tenant-events',
    logStreamName: 'stream',
    deadlineMs: Date.now() + 30_000,
  });
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    return await handler({ Records: records }, context);
  } finally {
    vi.restoreAllMocks();
  }
};

const json = () =>
  lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
const recordOutcomes = () => json().filter((entry) => String(entry.message).startsWith('record '));
const liveStatus = (tenantId: string) =>
  (cloud.twilio.accounts() as unknown as Array<{ friendly_name: string; status: string }>)
    .filter((account) => account.friendly_name === `tenant:${tenantId}`)
    .map((account) => account.status);
const record = (event: ReturnType<typeof tenantEvent>) => sqsRecord(event, { groupId: event.tenantId });

describe('one batch through the real handler', () => {
  it('applies several records of one tenant strictly in order', async () => {
    const result = await invoke([
      record(tenantEvent('tenant.created', 'ordered', { at: 1 })),
      record(tenantEvent('tenant.delinquent', 'ordered', { at: 2 })),
      record(tenantEvent('tenant.reinstated', 'ordered', { at: 3 })),
      record(tenantEvent('tenant.churned', 'ordered', { at: 4 })),
    ]);
    expect(result.batchItemFailures).toEqual([]);
    expect(recordOutcomes().map((entry) => entry.outcome)).toEqual([
      'created',
      'suspended',
      'reactivated',
      'closed',
    ]);
    expect(liveStatus('ordered')).toEqual(['closed']);
  });

  it('reports a retryable failure with the later records of its tenant only; others and poison are settled', async () => {
    await invoke([record(tenantEvent('tenant.created', 'stuck', { at: 1 }))]);
    // Every update fails with 503 beyond the client's retries: only 'stuck' updates in this batch.
    cloud.twilio.injectFault({ route: 'update', fault: { kind: 'server-error', status: 503 } });
    const batch = [
      record(tenantEvent('tenant.created', 'alpha', { at: 1 })),
      sqsRecord('{"type":', { groupId: 'poison' }),
      record(tenantEvent('tenant.delinquent', 'stuck', { at: 2 })),
      record(tenantEvent('tenant.created', 'beta', { at: 1 })),
      record(tenantEvent('tenant.reinstated', 'stuck', { at: 3 })),
    ];
    const result = await invoke(batch);
    expect(result.batchItemFailures).toEqual([
      { itemIdentifier: batch[2]!.messageId },
      { itemIdentifier: batch[4]!.messageId },
    ]);
    expect(liveStatus('alpha')).toEqual(['active']);
    expect(liveStatus('beta')).toEqual(['active']);
    expect(liveStatus('stuck')).toEqual(['active']);
    const byOutcome = (outcome: string) => recordOutcomes().filter((entry) => entry.outcome === outcome);
    expect(byOutcome('dead-lettered')).toEqual([
      expect.objectContaining({ errorCode: 'EVENT_INVALID_JSON' }),
    ]);
    expect(byOutcome('retried')).toEqual([
      expect.objectContaining({
        tenantId: 'stuck',
        type: 'tenant.delinquent',
        twilioErrorCode: expect.any(String),
      }),
    ]);
    expect(byOutcome('skipped')).toEqual([expect.objectContaining({ tenantId: 'stuck' })]);
  });

  it('publishes EMF metrics per outcome and event type, and per Twilio error code', async () => {
    cloud.twilio.injectFault({ route: 'update', fault: { kind: 'server-error', status: 503 } });
    await invoke([
      record(tenantEvent('tenant.created', 'metered', { at: 1 })),
      record(tenantEvent('tenant.delinquent', 'stuck', { at: 5 })),
    ]);
    const emf = json().filter((entry) => entry._aws !== undefined);
    const metricsOf = (entry: Record<string, unknown>) =>
      (entry._aws as { CloudWatchMetrics: Array<{ Namespace: string; Metrics: Array<{ Name: string }> }> })
        .CloudWatchMetrics[0]!;
    const created = emf.find((entry) => metricsOf(entry).Metrics.some((metric) => metric.Name === 'Created'));
    expect(created).toMatchObject({ service: 'tenant-events', eventType: 'tenant.created', Created: 1 });
    expect(metricsOf(created!).Namespace).toBe('SubaccountProvisioner');
    const twilioError = emf.find((entry) =>
      metricsOf(entry).Metrics.some((metric) => metric.Name === 'TwilioError'),
    );
    expect(twilioError).toMatchObject({ twilioErrorCode: expect.any(String), TwilioError: 1 });
    const retried = emf.find((entry) => metricsOf(entry).Metrics.some((metric) => metric.Name === 'Retried'));
    expect(retried).toMatchObject({ eventType: 'tenant.delinquent' });
  });
});
