/** One log line and the EMF metrics per record outcome, as the dashboard and alarms read them. */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPowertoolsObserver } from '../../../../functions/tenant-events/observer.ts';

const capture = () => {
  const lines: Record<string, unknown>[] = [];
  const record = (chunk: string | Uint8Array) => {
    for (const line of String(chunk).split('\n')) if (line.startsWith('{')) lines.push(JSON.parse(line));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(record);
  vi.spyOn(process.stderr, 'write').mockImplementation(record);
  return lines;
};

afterEach(() => vi.restoreAllMocks());

const observerWithLines = () => {
  const saved = process.env.POWERTOOLS_DEV;
  delete process.env.POWERTOOLS_DEV;
  const lines = capture();
  const logger = new Logger({ serviceName: 'tenant-events' });
  const metrics = new Metrics({ namespace: 'SubaccountProvisioner', serviceName: 'tenant-events' });
  if (saved !== undefined) process.env.POWERTOOLS_DEV = saved;
  return { lines, metrics, observer: createPowertoolsObserver({ logger, metrics }) };
};

describe('the Powertools observer', () => {
  it('logs "tenant busy" and counts TenantBusy for a busy tenant', () => {
    const { lines, observer } = observerWithLines();
    observer.record({
      messageId: 'm',
      tenantId: 'acme',
      outcome: 'busy',
      attempt: 1,
      durationMs: 3,
      errorCode: 'TENANT_BUSY',
    });
    expect(lines.find((l) => l.message === 'tenant busy')).toMatchObject({ level: 'WARN', tenantId: 'acme' });
    expect(lines.find((l) => 'TenantBusy' in l)).toMatchObject({ TenantBusy: 1, eventType: 'unknown' });
  });

  it('gives the subaccount limit and a suspended main account metrics of their own', () => {
    const { lines, metrics, observer } = observerWithLines();
    const base = { messageId: 'm', attempt: 1, durationMs: 1 } as const;
    observer.record({
      ...base,
      outcome: 'dead-lettered',
      errorCode: 'SUBACCOUNT_LIMIT_REACHED',
      twilioErrorCode: '21480',
    });
    observer.record({
      ...base,
      outcome: 'retried',
      errorCode: 'MAIN_ACCOUNT_SUSPENDED',
      twilioErrorCode: '21476',
    });
    observer.record({ ...base, outcome: 'retried', errorCode: 'OUTCOME_PUBLISH_FAILED' });
    // Per-code counts are flushed with the invocation's metrics (logMetrics does it in the handler).
    metrics.publishStoredMetrics();
    const metric = (name: string) => lines.filter((l) => name in l).map((l) => l[name]);
    expect(metric('SubaccountLimitReached')).toEqual([1]);
    expect(metric('MainAccountSuspended')).toEqual([1]);
    expect(metric('OutcomePublishFailed')).toEqual([1]);
    expect(lines.filter((l) => 'TwilioError' in l).map((l) => l.twilioErrorCode)).toEqual(['21480', '21476']);
  });
});
