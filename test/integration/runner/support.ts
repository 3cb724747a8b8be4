import { ReceiveMessageCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import {
  createLocalSqsClient,
  createQueueTopology,
  type QueueTopology,
  type QueueTopologyOptions,
  startLocalSqs,
} from '../../../local/sqs/index.ts';

export const REGION = 'eu-west-1';

export interface QueueFixture {
  sqs: SQSClient;
  topology: QueueTopology;
  url: string;
  stop(): Promise<void>;
}

/** A private fauxqs with the tenant-events topology; every test gets its own. */
export const startQueueFixture = async (options: QueueTopologyOptions = {}): Promise<QueueFixture> => {
  const server = await startLocalSqs();
  const sqs = createLocalSqsClient({ endpoint: server.url, region: REGION });
  const topology = await createQueueTopology(sqs, options);
  return {
    sqs,
    topology,
    url: server.url,
    stop: async () => {
      sqs.destroy();
      await server.stop();
    },
  };
};

let eventCounter = 0;

/** Sends like a producer: group = tenant, deduplication id = a fresh event id. */
export const sendEvent = async (
  fixture: QueueFixture,
  tenantId: string,
  body: string,
  extra: Partial<ConstructorParameters<typeof SendMessageCommand>[0]> = {},
) => {
  eventCounter += 1;
  return fixture.sqs.send(
    new SendMessageCommand({
      QueueUrl: fixture.topology.queueUrl,
      MessageBody: body,
      MessageGroupId: tenantId,
      MessageDeduplicationId: `evt-${process.pid}-${eventCounter}`,
      ...extra,
    }),
  );
};

/** Receives until empty; on a FIFO queue that is the head of every message group (the rest stay locked). */
export const receiveAll = async (sqs: SQSClient, queueUrl: string) => {
  const received = [];
  for (;;) {
    const { Messages: messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        MessageSystemAttributeNames: ['All'],
        WaitTimeSeconds: 0,
        VisibilityTimeout: 60,
      }),
    );
    if (messages.length === 0) return received;
    received.push(...messages);
  }
};

/** A promise plus its resolver, to hold a handler until the test lets it go. */
export const gate = <T = void>() => {
  let open!: (value: T) => void;
  const opened = new Promise<T>((resolve) => {
    open = resolve;
  });
  return { open, opened };
};
