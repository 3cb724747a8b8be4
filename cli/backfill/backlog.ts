/**
 * `--max-backlog N`: hold sending while more than N messages wait in the queue.
 *
 * The backfill cannot see what it causes downstream (Twilio's 429s reach the function, not the
 * producer), but it can see their effect: when the function is slowed down (Twilio's concurrency
 * limit, Secrets Manager throttling, errors and redeliveries), messages pile up in the queue. The
 * queue's ApproximateNumberOfMessages (visible, not yet received) is that pile. Holding it under N
 * also bounds how long a live event waits behind the backfill: about N / (events per second the
 * function sustains). The depth is read again once a second, or sooner when the rows sent since
 * the last reading could have filled the room it showed, so a fast backfill overshoots by one
 * chunk at most; while paused, every second.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html
 */
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';

export interface BacklogGate {
  /** Resolves once the backlog is at or under the limit (at once without a limit). */
  wait(): Promise<void>;
  /** Rows SQS accepted since: they use up the room the last reading showed. */
  sent(count: number): void;
}

const CHECK_EVERY_MS = 1_000;

export interface BacklogOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly maxBacklog: number | undefined;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** One line when a pause starts and one when it ends. */
  readonly report: (line: string) => void;
  /** Stops waiting (Ctrl-C while paused). */
  readonly stopping: () => boolean;
}

export const createBacklogGate = (options: BacklogOptions): BacklogGate => {
  const { maxBacklog } = options;
  let checkedAt = Number.NEGATIVE_INFINITY;
  /** Messages that may still be sent before the backlog could pass the limit. */
  let room = 0;
  let disabled = false;
  const depth = async (): Promise<number | undefined> => {
    try {
      const { Attributes = {} } = await options.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: options.queueUrl,
          AttributeNames: ['ApproximateNumberOfMessages'],
        }),
      );
      return Number(Attributes.ApproximateNumberOfMessages ?? 0);
    } catch (error) {
      // Without sqs:GetQueueAttributes the backfill still runs, paced by its rate alone.
      disabled = true;
      const name = error instanceof Error ? error.name : 'Error';
      options.report(`backfill: cannot read the queue's depth (${name}); --max-backlog is off`);
      return undefined;
    }
  };
  return {
    sent: (count) => {
      room -= count;
    },
    wait: async () => {
      if (maxBacklog === undefined || disabled) return;
      if (room > 0 && options.now() - checkedAt < CHECK_EVERY_MS) return;
      checkedAt = options.now();
      let waiting = await depth();
      room = maxBacklog - (waiting ?? 0);
      if (waiting === undefined || waiting <= maxBacklog) return;
      options.report(
        `backfill: paused, ${waiting} messages waiting in the queue (--max-backlog ${maxBacklog})`,
      );
      while (waiting !== undefined && waiting > maxBacklog && !options.stopping()) {
        await options.sleep(CHECK_EVERY_MS);
        waiting = await depth();
      }
      checkedAt = options.now();
      room = maxBacklog - (waiting ?? 0);
      options.report(`backfill: resumed, ${waiting ?? 'unknown'} messages waiting in the queue`);
    },
  };
};
