import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Message } from '@aws-sdk/client-sqs';
import type { ExecutionEnvironment } from './execution/index.ts';
import { describeFunction } from './lambda-context.ts';
import { endLines, startLine } from './lambda-log.ts';
import type { ResolvedRunnerOptions } from './options.ts';
import { type InvocationReport, type RunnerStats, recordInvocation } from './report.ts';
import { settleInvocation } from './settle.ts';
import { deleteRecords, receiveMessages } from './sqs-calls.ts';
import { toSqsRecord } from './sqs-event.ts';

/** State the pollers share with the runner handle. */
export interface RunnerState {
  stopping: boolean;
  /** Batches between "received" and "deleted": drained() needs them to be zero. */
  running: number;
  stats: RunnerStats;
}

export interface Poller {
  slot: number;
  options: ResolvedRunnerOptions;
  environment: ExecutionEnvironment;
  visibilityTimeoutSeconds: number;
  state: RunnerState;
}

/** Pause after a failed ReceiveMessage so a broken queue does not turn into a hot loop. */
const RECEIVE_RETRY_MS = 250;
/** Step between receives while a batching window gathers records. */
const BATCHING_STEP_MS = 20;
const EMPTY_RECEIVE_PAUSE_MS = 100;

/**
 * One concurrency slot of the event source mapping: long-poll, invoke, delete what succeeded,
 * repeat until stopped. A batch that was received is always finished, even while stopping, so
 * no message is left in flight by a graceful stop.
 */
export const runPoller = async (poller: Poller): Promise<void> => {
  while (!poller.state.stopping) {
    const messages = await receiveBatch(poller);
    if (messages.length === 0) {
      // Without long polling an empty queue would be hammered; Lambda always long-polls.
      if (poller.options.waitTimeSeconds === 0) await sleep(EMPTY_RECEIVE_PAUSE_MS);
      continue;
    }
    poller.state.running += 1;
    poller.state.stats.inFlight += messages.length;
    try {
      await invokeBatch(poller, messages);
    } catch (error) {
      // Unsettled records simply reappear after the visibility timeout.
      poller.options.log(`poller ${poller.slot}: invocation could not run: ${errorText(error)}`);
    } finally {
      poller.state.running -= 1;
      poller.state.stats.inFlight -= messages.length;
    }
  }
};

const receiveBatch = async (poller: Poller): Promise<Message[]> => {
  const { options } = poller;
  const messages = await receiveOnce(poller, options.batchSize, options.waitTimeSeconds);
  if (messages.length === 0 || options.maximumBatchingWindowMs === 0) return messages;
  // Like MaximumBatchingWindowInSeconds: keep gathering until the batch is full or the window ends.
  const windowEnd = Date.now() + options.maximumBatchingWindowMs;
  while (messages.length < options.batchSize && Date.now() < windowEnd) {
    const more = await receiveOnce(poller, options.batchSize - messages.length, 0);
    messages.push(...more);
    if (more.length === 0) await sleep(Math.min(BATCHING_STEP_MS, Math.max(0, windowEnd - Date.now())));
  }
  return messages;
};

const receiveOnce = async (
  poller: Poller,
  maxMessages: number,
  waitTimeSeconds: number,
): Promise<Message[]> => {
  const { options } = poller;
  try {
    return await receiveMessages(options.sqs, options.queueUrl, {
      maxMessages,
      waitTimeSeconds,
      visibilityTimeoutSeconds: poller.visibilityTimeoutSeconds,
    });
  } catch (error) {
    options.log(`poller ${poller.slot}: ReceiveMessage failed: ${errorText(error)}`);
    await sleep(RECEIVE_RETRY_MS);
    return [];
  }
};

const invokeBatch = async (poller: Poller, messages: Message[]): Promise<void> => {
  const { options, environment, slot } = poller;
  const records = messages.map((message) => toSqsRecord(message, options));
  const requestId = randomUUID();
  const started = performance.now();
  options.log(startLine(requestId));
  const invocation = await environment.invoke(
    { Records: records },
    { awsRequestId: requestId, functionName: options.functionName, ...describeFunction(options) },
    options.functionTimeoutMs,
  );
  const settlement = settleInvocation(records, invocation.outcome);
  const refused = await deleteSucceeded(poller, settlement.succeeded);
  const report: InvocationReport = {
    requestId,
    slot,
    coldStart: invocation.coldStart,
    outcome: settlement.outcome,
    messageIds: records.map((record) => record.messageId),
    succeededMessageIds: settlement.succeeded.map((r) => r.messageId).filter((id) => !refused.includes(id)),
    failedMessageIds: [...settlement.failed.map((r) => r.messageId), ...refused],
    ...(settlement.error === undefined ? {} : { error: settlement.error }),
    durationMs: performance.now() - started,
  };
  recordInvocation(poller.state.stats, report);
  for (const line of endLines(report, options.memoryLimitInMB)) options.log(line);
  notify(options, report);
};

/** A failed delete is not the handler's fault: the message just comes back, as on AWS. */
const deleteSucceeded = async (
  poller: Poller,
  succeeded: Parameters<typeof deleteRecords>[2],
): Promise<string[]> => {
  if (succeeded.length === 0) return [];
  const { options } = poller;
  try {
    const refused = await deleteRecords(options.sqs, options.queueUrl, succeeded);
    if (refused.length > 0) options.log(`poller ${poller.slot}: SQS refused to delete ${refused.join(', ')}`);
    return refused;
  } catch (error) {
    options.log(`poller ${poller.slot}: DeleteMessageBatch failed: ${errorText(error)}`);
    return succeeded.map((record) => record.messageId);
  }
};

const notify = (options: ResolvedRunnerOptions, report: InvocationReport): void => {
  try {
    options.onInvocation(report);
  } catch (error) {
    options.log(`onInvocation threw: ${errorText(error)}`);
  }
};

const errorText = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);
