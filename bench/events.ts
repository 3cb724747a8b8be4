/** Tenant events as Lambda receives them from the FIFO queue, for invoking handlers directly. */
import { createHash, randomUUID } from 'node:crypto';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import type { TenantEvent, TenantEventType } from '../shared/domain/event.ts';
import { newTenantEvent } from '../shared/publishing/publisher.ts';

export interface EventSource {
  readonly queueArn: string;
  readonly region: string;
}

/** A tenant no run has seen, so every measured create does the full create path. */
export const freshTenantId = (label: string): string => `${label}-${randomUUID()}`.slice(0, 48);

/**
 * Events of one tenant, one second apart in `occurredAt` so none is older than the watermark
 * left by the one before it.
 */
export const tenantEvents = (tenantId: string, types: readonly TenantEventType[]): TenantEvent[] => {
  const start = Date.now();
  return types.map((type, i) =>
    newTenantEvent(type, tenantId, {
      occurredAt: new Date(start + i * 1000),
      tenantName: `Tenant ${tenantId}`,
    }),
  );
};

let sequence = 0;

export const sqsRecordOf = (event: TenantEvent, source: EventSource): SQSRecord => {
  sequence += 1;
  const body = JSON.stringify(event);
  const now = String(Date.now());
  return {
    messageId: randomUUID(),
    receiptHandle: `bench-${randomUUID()}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: now,
      SenderId: 'AIDABENCHMARK',
      ApproximateFirstReceiveTimestamp: now,
      SequenceNumber: String(18_000_000_000_000_000_000 + sequence),
      MessageGroupId: event.tenantId,
      MessageDeduplicationId: event.eventId,
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(body).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: source.queueArn,
    awsRegion: source.region,
  };
};

export const sqsEventOf = (events: readonly TenantEvent[], source: EventSource): SQSEvent => ({
  Records: events.map((event) => sqsRecordOf(event, source)),
});

/** What the composition root needs of a Lambda context, with the function's full timeout. */
export const invocationContext = (timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  return { getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) };
};
