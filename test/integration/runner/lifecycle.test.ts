import { setImmediate as tick } from 'node:timers/promises';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DrainTimeoutError,
  type EventSourceRunner,
  type EventSourceRunnerOptions,
  RunnerOptionError,
  startEventSourceRunner,
} from '../../../local/runner/index.ts';
import { gate, type QueueFixture, REGION, sendEvent, startQueueFixture } from './support.ts';

describe('event source runner: lifecycle and options', () => {
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

  const queueCounts = async () => {
    const { Attributes: attributes = {} } = await fixture.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: fixture.topology.queueUrl, AttributeNames: ['All'] }),
    );
    return [attributes.ApproximateNumberOfMessages, attributes.ApproximateNumberOfMessagesNotVisible];
  };

  it('stop() waits for the in-flight invocation, which still gets its records deleted', async () => {
    await sendEvent(fixture, 't-1', 'held');
    const started = gate();
    const release = gate();
    let finished = false;
    runner = await startEventSourceRunner({
      ...base(),
      handler: async () => {
        started.open();
        await release.opened;
        finished = true;
      },
    });
    await started.opened;
    let stopped = false;
    const stopping = runner.stop().then(() => {
      stopped = true;
    });
    for (let n = 0; n < 20; n += 1) await tick();
    expect(stopped).toBe(false);
    release.open();
    await stopping;
    expect(finished).toBe(true);
    expect(await queueCounts()).toEqual(['0', '0']);
    expect(runner.stats()).toMatchObject({ invocations: 1, succeeded: 1 });
  });

  it('does not poll any more once stopped', async () => {
    let invocations = 0;
    runner = await startEventSourceRunner({
      ...base(),
      handler: async () => {
        invocations += 1;
      },
    });
    await runner.stop();
    await sendEvent(fixture, 't-1', 'after stop');
    expect(await queueCounts()).toEqual(['1', '0']);
    expect(invocations).toBe(0);
  });

  it('drained() rejects with DrainTimeoutError while work is still pending', async () => {
    await sendEvent(fixture, 't-1', 'stuck');
    const release = gate();
    runner = await startEventSourceRunner({ ...base(), handler: () => release.opened });
    const error = await runner.drained({ timeoutMs: 200 }).catch((caught: unknown) => caught);
    release.open();
    expect(error).toBeInstanceOf(DrainTimeoutError);
    expect((error as DrainTimeoutError).retryable).toBe(true);
  });

  it.each<[string, Record<string, unknown>]>([
    ['batchSize', { batchSize: 0 }],
    ['batchSize', { batchSize: 11 }],
    ['batchSize', { batchSize: 2.5 }],
    ['maxConcurrency', { maxConcurrency: 0 }],
    ['functionTimeoutMs', { functionTimeoutMs: 0 }],
    ['functionTimeoutMs', { functionTimeoutMs: -5 }],
    ['waitTimeSeconds', { waitTimeSeconds: 21 }],
    ['queueArn', { queueArn: 'not-an-arn' }],
    ['handler', { handler: undefined }],
    ['handler', { handlerModule: { path: 'x.ts' } }],
    ['handlerModule.path', { handler: undefined, handlerModule: { path: 'no/such/module.ts' } }],
    [
      'handlerModule.mode',
      { handler: undefined, handlerModule: { path: 'functions/tenant-events/handler.ts', mode: 'compiled' } },
    ],
  ])('rejects an invalid %s', async (option, override) => {
    const options = { ...base(), handler: async () => {}, ...override } as EventSourceRunnerOptions;
    const error = await startEventSourceRunner(options).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RunnerOptionError);
    expect((error as RunnerOptionError).context.option).toBe(option);
    expect((error as Error).message).toContain(`"${option}"`);
  });
});
