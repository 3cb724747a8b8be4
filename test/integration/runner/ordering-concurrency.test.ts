import { setImmediate as tick } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type EventSourceRunner,
  type InvocationReport,
  startEventSourceRunner,
} from '../../../local/runner/index.ts';
import { gate, type QueueFixture, REGION, sendEvent, startQueueFixture } from './support.ts';

describe('event source runner: ordering and concurrency', () => {
  let fixture: QueueFixture;
  let runner: EventSourceRunner | undefined;

  beforeEach(async () => {
    fixture = await startQueueFixture();
  });

  afterEach(async () => {
    await runner?.stop();
    runner = undefined;
    await fixture.stop();
  });

  const base = () => ({
    sqs: fixture.sqs,
    queueUrl: fixture.topology.queueUrl,
    queueArn: fixture.topology.queueArn,
    region: REGION,
  });

  it("processes each tenant's events in order and never two of one tenant at once", async () => {
    const tenants = ['t-a', 't-b', 't-c'];
    for (let n = 1; n <= 5; n += 1) {
      for (const tenant of tenants) await sendEvent(fixture, tenant, `${tenant}:${n}`);
    }
    const processed = new Map<string, string[]>();
    const busyTenants = new Set<string>();
    const overlaps: string[] = [];
    runner = await startEventSourceRunner({
      ...base(),
      maxConcurrency: 3,
      handler: async (event) => {
        const tenantsInBatch = event.Records.map((record) => record.attributes.MessageGroupId ?? '');
        for (const tenant of tenantsInBatch) {
          if (busyTenants.has(tenant)) overlaps.push(tenant);
          busyTenants.add(tenant);
        }
        // Yield so another slot gets the chance to run the same tenant if SQS let it.
        await tick();
        for (const record of event.Records) {
          const tenant = record.attributes.MessageGroupId ?? '';
          processed.set(tenant, [...(processed.get(tenant) ?? []), record.body]);
        }
        for (const tenant of tenantsInBatch) busyTenants.delete(tenant);
      },
    });
    await runner.drained();
    for (const tenant of tenants) {
      expect(processed.get(tenant)).toEqual([1, 2, 3, 4, 5].map((n) => `${tenant}:${n}`));
    }
    expect(overlaps).toEqual([]);
    expect(runner.stats()).toMatchObject({ records: 15, succeeded: 15, failed: 0, batchFailures: 0 });
  });

  it('runs different tenants in concurrent invocations, up to maxConcurrency', async () => {
    await sendEvent(fixture, 't-x', 'x');
    await sendEvent(fixture, 't-y', 'y');
    // Each invocation waits until both are running at once; with one slot this would never happen.
    const bothRunning = gate();
    let running = 0;
    let maxRunning = 0;
    const reports: InvocationReport[] = [];
    runner = await startEventSourceRunner({
      ...base(),
      batchSize: 1,
      maxConcurrency: 2,
      onInvocation: (report) => reports.push(report),
      handler: async () => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        if (running === 2) bothRunning.open();
        await bothRunning.opened;
        running -= 1;
      },
    });
    // Bounded: if both never ran at once the barrier stays shut and this rejects.
    await runner.drained({ timeoutMs: 10_000 });
    expect(maxRunning).toBe(2);
    expect(reports.map((report) => report.outcome)).toEqual(['success', 'success']);
    expect(new Set(reports.map((report) => report.slot))).toEqual(new Set([0, 1]));
    expect(reports.every((report) => report.coldStart)).toBe(true);
  });

  it('never runs more invocations at once than maxConcurrency', async () => {
    for (const tenant of ['t-1', 't-2', 't-3', 't-4']) await sendEvent(fixture, tenant, tenant);
    let running = 0;
    let maxRunning = 0;
    runner = await startEventSourceRunner({
      ...base(),
      batchSize: 1,
      maxConcurrency: 1,
      handler: async () => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        await tick();
        running -= 1;
      },
    });
    await runner.drained();
    expect(maxRunning).toBe(1);
    expect(runner.stats()).toMatchObject({ invocations: 4, succeeded: 4, coldStarts: 1 });
  });
});
