/**
 * SQS throttling, as the backfill sees it. A FIFO queue takes 300 API calls per second per action
 * (3,000 messages in batches of 10) without high-throughput mode, and answers more with a
 * throttling error, even while the queue has room:
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/troubleshooting-fifo-throttling-issues.html
 *
 * The AWS SDK retries a throttled call itself, so a send can succeed after throttled attempts the
 * caller never sees; `watchThrottling` counts every attempt's throttling answer, from inside the
 * SDK's retry loop, and the send that exhausted the retries shows in its result.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { PublishResult } from '../../shared/publishing/publisher.ts';

/** Error names (codes) AWS services use for throttling, SQS's among them. */
const THROTTLING_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
]);

export const isThrottling = (error: unknown): boolean => {
  if (typeof error !== 'object' || error === null) return false;
  const { name, $metadata, $retryable } = error as {
    name?: unknown;
    $metadata?: { httpStatusCode?: unknown };
    $retryable?: { throttling?: unknown };
  };
  return (
    (typeof name === 'string' && THROTTLING_NAMES.has(name)) ||
    $metadata?.httpStatusCode === 429 ||
    $retryable?.throttling === true
  );
};

/** Whether a publish result failed because SQS throttled the call (the row may be sent again). */
export const throttledResult = (result: PublishResult): boolean => {
  const error = result.error;
  if (error === undefined) return false;
  const code = (error.context as { sqsCode?: unknown }).sqsCode;
  return isThrottling(error.cause) || (typeof code === 'string' && THROTTLING_NAMES.has(code));
};

const WATCH_NAME = 'backfillThrottlingWatch';

/**
 * Calls `onThrottled` for every attempt SQS answers with throttling, retried or not. Added to the
 * client's middleware stack inside the retry middleware (same step, lower priority), so each
 * attempt passes through it. Returns a function that removes it again.
 */
export const watchThrottling = (sqs: SQSClient, onThrottled: () => void): (() => void) => {
  sqs.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (isThrottling(error)) onThrottled();
        throw error;
      }
    },
    { step: 'finalizeRequest', priority: 'low', name: WATCH_NAME },
  );
  return () => {
    sqs.middlewareStack.remove(WATCH_NAME);
  };
};
