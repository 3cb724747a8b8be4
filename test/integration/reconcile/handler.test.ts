/**
 * The scheduled reconcile function, loaded as Lambda loads it (configuration from the
 * environment at cold start) and run against the local cloud: one log line per finding, the
 * drift metric, a summary, and never a token.
 */
import type { Context, ScheduledEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLambdaContext } from '../../../local/runner/lambda-context.ts';
import { type CliCloud, startCliCloud } from '../cli/support.ts';
import { EXPECTED_DRIFT, seedConsistentTenants, seedEveryDriftKind } from './seed-drift.ts';

type Handler = (event: ScheduledEvent, context: Context) => Promise<unknown>;

let cli: CliCloud;
let handler: Handler;
const saved = { ...process.env };

const scheduledEvent: ScheduledEvent = {
  version: '0',
  id: 'c5f1d3a4-0000-4000-8000-000000000001',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '000000000000',
  time: '2026-11-27T00:00:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:events:us-east-1:000000000000:rule/reconcile'],
  detail: {},
};

const context = () =>
  createLambdaContext({
    awsRequestId: 'req-1',
    functionName: 'reconcile',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:reconcile',
    memoryLimitInMB: '256',
    logGroupName: '/aws/lambda/reconcile',
    logStreamName: 'stream',
    deadlineMs: Date.now() + 60_000,
  });

/** Runs one invocation and returns what it logged, line by line, as JSON. */
const invoke = async (): Promise<{ result: unknown; lines: Record<string, unknown>[]; raw: string }> => {
  let raw = '';
  const record = (chunk: string | Uint8Array) => {
    raw += String(chunk);
    return true;
  };
  // Lambda sends both streams to CloudWatch Logs; Powertools writes warnings to stderr.
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(record),
    vi.spyOn(process.stderr, 'write').mockImplementation(record),
  ];
  try {
    const result = await handler(scheduledEvent, context());
    return {
      result,
      raw,
      lines: raw
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
};

beforeAll(async () => {
  cli = await startCliCloud();
  await seedConsistentTenants(cli);
  // A small limit, so the capacity figures are easy to read: 3 live subaccounts of 5.
  Object.assign(process.env, cli.env, {
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    SUBACCOUNT_LIMIT: '5',
  });
  delete process.env.POWERTOOLS_DEV;
  ({ handler } = (await import('../../../functions/reconcile/handler.ts')) as { handler: Handler });
});
afterAll(async () => {
  process.env = saved;
  await cli?.stop();
});

const metricValue = (lines: Record<string, unknown>[]) => {
  const emf = lines.find((line) => '_aws' in line && 'DriftFindings' in line);
  const namespace = (emf?._aws as { CloudWatchMetrics?: { Namespace: string }[] })?.CloudWatchMetrics?.[0]
    ?.Namespace;
  return { value: emf?.DriftFindings, namespace, service: emf?.service };
};

describe('reconcile function', () => {
  it('reports no drift for a consistent cloud, with a zero metric', async () => {
    const { result, lines } = await invoke();
    expect(result).toEqual({
      drift: 0,
      byKind: {},
      subaccountsChecked: 4,
      secretsChecked: 3,
      ignoredSubaccounts: 1,
      unmanagedSecrets: 0,
      ledgerItemsChecked: 3,
      liveSubaccounts: 3,
      subaccountLimit: 5,
    });
    expect(metricValue(lines)).toEqual({
      value: 0,
      namespace: 'SubaccountProvisioner',
      service: 'reconcile',
    });
    expect(lines.filter((line) => String(line.message).startsWith('drift '))).toEqual([]);
  });

  it('emits live subaccounts against the limit, the figures the capacity alarm compares', async () => {
    const { lines } = await invoke();
    const emf = lines.find((line) => '_aws' in line && 'LiveSubaccounts' in line);
    // acme, globex and the foreign subaccount are live (all count toward Twilio's limit); gone is closed.
    expect(emf).toMatchObject({ LiveSubaccounts: 3, SubaccountLimit: 5, service: 'reconcile' });
  });

  it('logs one structured line per finding and emits the count, never a token', async () => {
    await seedEveryDriftKind(cli);
    const { result, lines, raw } = await invoke();
    const byKind: Record<string, number> = {};
    for (const [kind] of EXPECTED_DRIFT) byKind[kind] = (byKind[kind] ?? 0) + 1;
    expect(result).toMatchObject({ drift: EXPECTED_DRIFT.length, byKind });
    const findings = lines.filter((line) => String(line.message).startsWith('drift '));
    expect(findings.map((line) => [line.kind, line.tenantId])).toEqual(EXPECTED_DRIFT);
    for (const line of findings) {
      expect(line).toMatchObject({ level: 'WARN', service: 'reconcile', function_request_id: 'req-1' });
      expect(line.detail).toEqual(expect.any(String));
    }
    expect(metricValue(lines).value).toBe(EXPECTED_DRIFT.length);
    for (const secret of cli.cloud.twilio.issuedSecrets()) expect(raw).not.toContain(secret);
  });
});
