import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

export interface TenantEventMessage {
  tenantId: string;
  eventId: string;
  body: string;
}

/**
 * Puts one tenant event on the FIFO queue the way platform producers must: the event id is the
 * deduplication id (a re-sent event within 5 minutes is dropped by SQS) and the tenant id is the
 * message group (one tenant's events are delivered strictly in order).
 */
export const sendTenantEvent = async (
  sqs: SQSClient,
  queueUrl: string,
  message: TenantEventMessage,
): Promise<{ messageId: string | undefined; sequenceNumber: string | undefined }> => {
  const sent = await sqs.send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: message.body,
      MessageGroupId: message.tenantId,
      MessageDeduplicationId: message.eventId,
    }),
  );
  return { messageId: sent.MessageId, sequenceNumber: sent.SequenceNumber };
};
