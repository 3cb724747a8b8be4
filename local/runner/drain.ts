import { setTimeout as sleep } from 'node:timers/promises';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { DrainTimeoutError } from './errors.ts';
import { type QueueCounts, readQueueCounts } from './sqs-calls.ts';

export interface DrainWatch {
  sqs: SQSClient;
  queueUrl: string;
  /** Batches received and not yet settled. */
  running: () => number;
  timeoutMs: number;
}

const CHECK_INTERVAL_MS = 50;

/**
 * Resolves once nothing is left to do: no batch is being processed and SQS reports no visible,
 * in-flight or delayed message. The running count is read on both sides of the SQS call, so a
 * batch that was received (in flight) or settled (deleted) during the call cannot slip through.
 */
export const waitUntilDrained = async (watch: DrainWatch): Promise<void> => {
  const deadline = Date.now() + watch.timeoutMs;
  let last: QueueCounts = { visible: 0, inFlight: 0, delayed: 0 };
  for (;;) {
    if (watch.running() === 0) {
      last = await readQueueCounts(watch.sqs, watch.queueUrl);
      if (last.visible + last.inFlight + last.delayed === 0 && watch.running() === 0) return;
    }
    if (Date.now() >= deadline)
      throw new DrainTimeoutError(watch.timeoutMs, { ...last, running: watch.running() });
    await sleep(CHECK_INTERVAL_MS);
  }
};
