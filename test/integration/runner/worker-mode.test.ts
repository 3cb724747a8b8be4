import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type EventSourceRunner,
  type InvocationReport,
  startEventSourceRunner,
} from '../../../local/runner/index.ts';
import { type QueueFixture, REGION, sendEvent, startQueueFixture } from './support.ts';

const MARKER_HANDLER = join(import.meta.dirname, '../../helpers/handlers/marker-handler.ts');

describe('event source runner: handler modules in isolated execution environments', () => {
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

  const start = async (extra: { exportName?: string } = {}) => {
    const reports: InvocationReport[] = [];
    runner = await startEventSourceRunner({
      sqs: fixture.sqs,
      queueUrl: fixture.topology.queueUrl,
      queueArn: fixture.topology.queueArn,
      region: REGION,
      maxConcurrency: 1,
      functionName: 'marker-handler',
      handlerModule: {
        path: MARKER_HANDLER,
        env: { MARKER_DIR: markerDir, MARKER_LABEL: 'from-env' },
        ...extra,
      },
      onInvocation: (report) => reports.push(report),
    });
    return reports;
  };

  const initMarkers = () => readdirSync(markerDir).filter((name) => name.startsWith('init-'));

  it('imports the module once per environment and keeps it warm across invocations', async () => {
    const sent = [];
    for (let n = 0; n < 3; n += 1)
      sent.push(await sendEvent(fixture, 't-1', JSON.stringify({ action: 'ok' })));
    const reports = await start();
    await runner!.drained();
    for (const { MessageId } of sent) {
      expect(readFileSync(join(markerDir, `done-${MessageId}-1`), 'utf8')).toBe('marker-handler');
    }
    expect(reports.map((report) => report.coldStart)).toEqual([true, false, false]);
    const inits = initMarkers();
    expect(inits).toHaveLength(1);
    // The env passed to the runner reached the execution environment.
    expect(readFileSync(join(markerDir, inits[0]!), 'utf8')).toBe('from-env');
  });

  it("reports a thrown error with the handler's error type and redelivers the batch", async () => {
    await sendEvent(fixture, 't-1', JSON.stringify({ action: 'throw' }));
    const reports = await start();
    await expect.poll(() => reports.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    await runner!.stop();
    expect(reports[0]).toMatchObject({ outcome: 'error', error: { type: 'TypeError' } });
    expect(reports[0]!.error!.message).toMatch(/^refusing /);
    // A handled error leaves the environment warm, as on Lambda.
    expect(reports[1]!.coldStart).toBe(false);
    expect(initMarkers()).toHaveLength(1);
  });

  it('fails the batch with an init error when the export does not exist, and retries with a fresh environment', async () => {
    await sendEvent(fixture, 't-1', JSON.stringify({ action: 'ok' }));
    const reports = await start({ exportName: 'missing' });
    await expect.poll(() => reports.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    await runner!.stop();
    expect(reports[0]).toMatchObject({
      outcome: 'error',
      coldStart: true,
      error: { type: 'HandlerInitError' },
    });
    expect(reports[0]!.error!.message).toContain('Runtime.HandlerNotFound');
    expect(reports[1]!.coldStart).toBe(true);
  });
});
