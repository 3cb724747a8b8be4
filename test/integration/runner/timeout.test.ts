import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type EventSourceRunner,
  type InvocationReport,
  startEventSourceRunner,
} from '../../../local/runner/index.ts';
import { gate, type QueueFixture, REGION, sendEvent, startQueueFixture } from './support.ts';

const MARKER_HANDLER = join(import.meta.dirname, '../../helpers/handlers/marker-handler.ts');

describe('event source runner: function timeout', () => {
  let fixture: QueueFixture;
  let runner: EventSourceRunner | undefined;
  let markerDir: string;

  beforeEach(async () => {
    fixture = await startQueueFixture({ visibilityTimeoutSeconds: 1 });
    markerDir = mkdtempSync(join(tmpdir(), 'runner-markers-'));
  });

  afterEach(async () => {
    await runner?.stop();
    runner = undefined;
    await fixture.stop();
    rmSync(markerDir, { recursive: true, force: true });
  });

  const base = () => ({
    sqs: fixture.sqs,
    queueUrl: fixture.topology.queueUrl,
    queueArn: fixture.topology.queueArn,
    region: REGION,
    maxConcurrency: 1,
  });

  it('in process: fails the batch, ignores the late result and redelivers after the visibility timeout', async () => {
    await sendEvent(fixture, 't-slow', 'slow');
    const late = gate<{ batchItemFailures: [] }>();
    const reports: InvocationReport[] = [];
    const receiveCounts: string[] = [];
    runner = await startEventSourceRunner({
      ...base(),
      functionTimeoutMs: 200,
      onInvocation: (report) => {
        reports.push(report);
        // The stuck first invocation "finishes" only after the runner gave up on it.
        if (report.outcome === 'timeout') late.open({ batchItemFailures: [] });
      },
      handler: async (event) => {
        const receiveCount = event.Records[0]?.attributes.ApproximateReceiveCount ?? '?';
        receiveCounts.push(receiveCount);
        if (receiveCount === '1') return late.opened;
      },
    });
    await runner.drained();
    expect(reports.map((report) => report.outcome)).toEqual(['timeout', 'success']);
    expect(reports[0]!.error).toEqual({
      type: 'InvocationTimeoutError',
      message: 'Task timed out after 0.20 seconds',
    });
    expect(receiveCounts).toEqual(['1', '2']);
    expect(runner.stats()).toMatchObject({
      invocations: 2,
      timedOut: 1,
      batchFailures: 1,
      succeeded: 1,
      failed: 1,
    });
  });

  it('in a worker: kills the environment, so nothing scheduled by the timed-out invocation runs, then cold-starts', async () => {
    const sent = await sendEvent(
      fixture,
      't-slow',
      JSON.stringify({ action: 'hang-first', sideEffectAfterMs: 900 }),
    );
    const messageId = sent.MessageId ?? '';
    const reports: InvocationReport[] = [];
    runner = await startEventSourceRunner({
      ...base(),
      functionTimeoutMs: 200,
      functionName: 'marker-handler',
      handlerModule: { path: MARKER_HANDLER, env: { MARKER_DIR: markerDir } },
      onInvocation: (report) => reports.push(report),
    });
    await runner.drained();
    // The late side effect was due well before the redelivery; give it extra room anyway.
    await sleep(500);
    expect(existsSync(join(markerDir, `started-${messageId}`))).toBe(true);
    expect(existsSync(join(markerDir, `late-${messageId}`))).toBe(false);
    expect(existsSync(join(markerDir, `done-${messageId}-2`))).toBe(true);
    expect(reports.map((report) => [report.outcome, report.coldStart])).toEqual([
      ['timeout', true],
      ['success', true],
    ]);
    expect(readdirSync(markerDir).filter((name) => name.startsWith('init-'))).toHaveLength(2);
    expect(runner.stats()).toMatchObject({ timedOut: 1, coldStarts: 2 });
  });
});
