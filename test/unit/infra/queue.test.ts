import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { VISIBILITY_TIMEOUT_FACTOR } from '../../../infra/constructs/tenant-event-queue.ts';
import { resourceOf, synthStack } from './synth.ts';

const FOURTEEN_DAYS = 1_209_600;

describe('tenant-event queues', () => {
  const { template } = synthStack();
  const queue = resourceOf(template, 'AWS::SQS::Queue', 'TenantEventsQueue');
  const dlq = resourceOf(template, 'AWS::SQS::Queue', 'TenantEventsDeadLetterQueue');

  it('are two FIFO queues with explicit names and no content-based deduplication', () => {
    // The third queue is the EventBridge route's standard dead-letter queue (eventbridge.test.ts).
    template.resourceCountIs('AWS::SQS::Queue', 3);
    expect(
      Object.values(template.findResources('AWS::SQS::Queue')).filter((q) => q.Properties.FifoQueue === true),
    ).toHaveLength(2);
    expect(queue.properties).toMatchObject({
      QueueName: 'tenant-events.fifo',
      FifoQueue: true,
      ContentBasedDeduplication: false,
    });
    expect(dlq.properties).toMatchObject({
      QueueName: 'tenant-events-dlq.fifo',
      FifoQueue: true,
      ContentBasedDeduplication: false,
    });
  });

  it('use server-side encryption', () => {
    expect(queue.properties.SqsManagedSseEnabled).toBe(true);
    expect(dlq.properties.SqsManagedSseEnabled).toBe(true);
  });

  it('deny every request not made over TLS, on both queues', () => {
    for (const { id } of [queue, dlq]) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            {
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: 'sqs:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              Resource: { 'Fn::GetAtt': [id, 'Arn'] },
            },
          ]),
        },
      });
    }
  });

  it('keeps dead letters for 14 days and redrives after maxReceiveCount', () => {
    expect(dlq.properties.MessageRetentionPeriod).toBe(FOURTEEN_DAYS);
    expect(queue.properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [dlq.id, 'Arn'] },
      maxReceiveCount: 5,
    });
  });

  it('sets both queues to 1 MiB, the size the dead-letter sender caps every dead letter to', () => {
    expect(dlq.properties.MaximumMessageSize).toBe(1_048_576);
    expect(queue.properties.MaximumMessageSize).toBe(1_048_576);
  });

  it('takes maxReceiveCount from configuration', () => {
    const custom = synthStack({ maxReceiveCount: '3' }).template;
    const redrive = resourceOf(custom, 'AWS::SQS::Queue', 'TenantEventsQueue').properties.RedrivePolicy;
    expect(redrive).toMatchObject({ maxReceiveCount: 3 });
  });

  it('sets the visibility timeout to six times the function timeout', () => {
    expect(VISIBILITY_TIMEOUT_FACTOR).toBe(6);
    expect(queue.properties.VisibilityTimeout).toBe(30 * 6);
    const custom = synthStack({ functionTimeoutSeconds: '45' }).template;
    expect(resourceOf(custom, 'AWS::SQS::Queue', 'TenantEventsQueue').properties.VisibilityTimeout).toBe(270);
    custom.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'tenant-events' }) },
      Timeout: 45,
    });
  });
});
