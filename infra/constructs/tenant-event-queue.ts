import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SQS_MAX_MESSAGE_BYTES } from '../../shared/publishing/sqs-message.ts';

/**
 * AWS recommends a visibility timeout of at least six times the function timeout for SQS event
 * sources, so a batch retried after throttling is not redelivered while still in flight
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html).
 */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

export interface TenantEventQueueProps {
  /** Timeout of the function consuming the queue; the visibility timeout is six times it. */
  readonly consumerTimeout: Duration;
  /** Receives before a message moves to the dead-letter queue. @default 5 */
  readonly maxReceiveCount?: number;
  /** Name of the FIFO queue. @default 'tenant-events.fifo' */
  readonly queueName?: string;
  /** Name of the FIFO dead-letter queue. @default 'tenant-events-dlq.fifo' */
  readonly deadLetterQueueName?: string;
}

/**
 * The FIFO queue tenant lifecycle events arrive on, and its FIFO dead-letter queue (a FIFO
 * queue's dead-letter queue must be FIFO too). Both use SQS-managed encryption and refuse
 * requests not made over TLS.
 */
export class TenantEventQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: TenantEventQueueProps) {
    super(scope, id);
    const maxReceiveCount = props.maxReceiveCount ?? 5;

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      queueName: props.deadLetterQueueName ?? 'tenant-events-dlq.fifo',
      fifo: true,
      contentBasedDeduplication: false,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // The longest SQS allows: failed events wait here for a person to look at them.
      retentionPeriod: Duration.days(14),
      // Set, not defaulted: the dead-letter sender caps body + attributes to exactly this.
      maxMessageSizeBytes: SQS_MAX_MESSAGE_BYTES,
    });

    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: props.queueName ?? 'tenant-events.fifo',
      fifo: true,
      // Deduplication is keyed on the event id the publisher supplies, not on a hash of the
      // body: the same event re-sent with a re-serialized body is still the same event.
      contentBasedDeduplication: false,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR),
      maxMessageSizeBytes: SQS_MAX_MESSAGE_BYTES,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
    });
  }
}
