import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { QueueTopologyError, QueueTopologyOptionError } from './errors.ts';

export interface QueueTopologyOptions {
  /** Receives before SQS moves a message to the DLQ (1..1000). */
  maxReceiveCount?: number;
  /** Seconds a received message stays hidden (0..43200). */
  visibilityTimeoutSeconds?: number;
  queueName?: string;
  dlqName?: string;
}

export interface QueueTopology {
  queueUrl: string;
  queueArn: string;
  dlqUrl: string;
  dlqArn: string;
}

export const TENANT_EVENTS_QUEUE_NAME = 'tenant-events.fifo';
export const TENANT_EVENTS_DLQ_NAME = 'tenant-events-dlq.fifo';

/** The DLQ keeps failures for the SQS maximum (14 days) so an operator can still redrive them. */
const DLQ_RETENTION_SECONDS = 1_209_600;

/**
 * Creates the tenant-events FIFO queue and its FIFO dead-letter queue (a FIFO source queue needs a
 * FIFO DLQ: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html).
 *
 * Content-based deduplication stays off: producers pass MessageDeduplicationId = eventId, so
 * two distinct events with the same body are never merged, and MessageGroupId = tenantId, so
 * one tenant's events are processed in order while tenants run in parallel.
 */
export const createQueueTopology = async (
  sqs: SQSClient,
  options: QueueTopologyOptions = {},
): Promise<QueueTopology> => {
  const settings = resolveTopologyOptions(options);
  const dlq = await createFifoQueue(sqs, settings.dlqName, {
    MessageRetentionPeriod: String(DLQ_RETENTION_SECONDS),
  });
  const queue = await createFifoQueue(sqs, settings.queueName, {
    VisibilityTimeout: String(settings.visibilityTimeoutSeconds),
    RedrivePolicy: JSON.stringify({
      deadLetterTargetArn: dlq.arn,
      maxReceiveCount: settings.maxReceiveCount,
    }),
  });
  return { queueUrl: queue.url, queueArn: queue.arn, dlqUrl: dlq.url, dlqArn: dlq.arn };
};

/** Validates topology options without touching SQS, so callers can fail before starting anything. */
export const resolveTopologyOptions = (options: QueueTopologyOptions): Required<QueueTopologyOptions> => {
  const settings = {
    maxReceiveCount: options.maxReceiveCount ?? 5,
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 30,
    queueName: options.queueName ?? TENANT_EVENTS_QUEUE_NAME,
    dlqName: options.dlqName ?? TENANT_EVENTS_DLQ_NAME,
  };
  requireIntegerIn('maxReceiveCount', settings.maxReceiveCount, 1, 1000);
  requireIntegerIn('visibilityTimeoutSeconds', settings.visibilityTimeoutSeconds, 0, 43_200);
  requireFifoName('queueName', settings.queueName);
  requireFifoName('dlqName', settings.dlqName);
  if (settings.queueName === settings.dlqName) {
    throw new QueueTopologyOptionError('dlqName', 'must differ from queueName');
  }
  return settings;
};

const requireIntegerIn = (option: string, value: number, min: number, max: number): void => {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new QueueTopologyOptionError(option, `must be an integer from ${min} to ${max}, got ${value}`);
  }
};

// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html
const FIFO_QUEUE_NAME = /^[A-Za-z0-9_-]{1,75}\.fifo$/;

const requireFifoName = (option: string, name: string): void => {
  if (!FIFO_QUEUE_NAME.test(name)) {
    throw new QueueTopologyOptionError(
      option,
      `"${name}" is not a FIFO queue name (1-75 of [A-Za-z0-9_-] + ".fifo")`,
    );
  }
};

const createFifoQueue = async (
  sqs: SQSClient,
  name: string,
  attributes: Record<string, string>,
): Promise<{ url: string; arn: string }> => {
  const created = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'false', ...attributes },
    }),
  );
  const url = created.QueueUrl;
  if (url === undefined)
    throw new QueueTopologyError('CreateQueue returned no QueueUrl', { queueName: name });
  const described = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  const arn = described.Attributes?.QueueArn;
  if (arn === undefined)
    throw new QueueTopologyError('GetQueueAttributes returned no QueueArn', { queueName: name });
  return { url, arn };
};
