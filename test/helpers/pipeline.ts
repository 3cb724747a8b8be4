/**
 * The whole product on loopback for integration tests: the local cloud, and the real
 * tenant-events Lambda entry run by the local SQS event-source runner in isolated execution
 * environments (worker threads), exactly as deployed: the runner bundles the entry with the
 * stack's esbuild options (once per content, shared by every test process) and the environments
 * import that bundle. LOCAL_RUNNER_SOURCE=1 runs the TypeScript sources instead, for debugging.
 */
import { fileURLToPath } from 'node:url';
import {
  DescribeSecretCommand,
  type DescribeSecretCommandOutput,
  GetSecretValueCommand,
} from '@aws-sdk/client-secrets-manager';
import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { type LocalCloud, type LocalCloudOptions, startLocalCloud } from '../../local/cloud.ts';
import { type EventSourceRunner, startEventSourceRunner } from '../../local/runner/index.ts';
import type { TenantEvent } from '../../shared/domain/event.ts';
import type { TenantCredentials } from '../../shared/domain/ports.ts';
import { messageOf, type OutgoingMessage, publishMessages } from '../../shared/publishing/publisher.ts';

/** The Lambda entry; the runner's default `bundle` mode turns it into the deployed artefact. */
export const HANDLER_PATH = fileURLToPath(
  new URL('../../functions/tenant-events/handler.ts', import.meta.url),
);

export interface PipelineOptions extends LocalCloudOptions {
  readonly functionTimeoutMs?: number;
  readonly maxConcurrency?: number;
  readonly batchSize?: number;
  readonly env?: Record<string, string>;
}

export interface DeadLetter {
  readonly body: string;
  readonly attributes: Record<string, string | undefined>;
}

export interface Pipeline {
  readonly cloud: LocalCloud;
  readonly runner: EventSourceRunner;
  /** Every line the handler and the runner wrote. */
  readonly logs: string[];
  publish(...items: (TenantEvent | OutgoingMessage)[]): Promise<void>;
  drain(): Promise<void>;
  /** Raw Twilio accounts whose FriendlyName is the tenant's. */
  accountsOf(
    tenantId: string,
  ): Array<{ sid: string; status: string; auth_token: string; friendly_name: string }>;
  secretOf(tenantId: string): Promise<TenantCredentials | undefined>;
  describeSecret(tenantId: string): Promise<DescribeSecretCommandOutput>;
  /** Receives (and deletes) every message in the DLQ. */
  takeDeadLetters(): Promise<DeadLetter[]>;
  /** The handler's structured per-record log lines. */
  outcomes(): Array<Record<string, unknown>>;
  stop(): Promise<void>;
}

const isEvent = (item: TenantEvent | OutgoingMessage): item is TenantEvent => 'tenantId' in item;

export const startPipeline = async (options: PipelineOptions = {}): Promise<Pipeline> => {
  const {
    functionTimeoutMs = 10_000,
    maxConcurrency = 2,
    batchSize = 10,
    env = {},
    ...cloudOptions
  } = options;
  const cloud = await startLocalCloud({
    maxReceiveCount: 4,
    visibilityTimeoutSeconds: Math.ceil(functionTimeoutMs / 1000),
    ...cloudOptions,
  });
  const logs: string[] = [];
  const runner = await startEventSourceRunner({
    sqs: cloud.sqs.client,
    queueUrl: cloud.sqs.queueUrl,
    queueArn: cloud.sqs.queueArn,
    region: cloud.region,
    batchSize,
    maxConcurrency,
    functionTimeoutMs,
    handlerModule: { path: HANDLER_PATH, env: { ...cloud.env, ...env } },
    log: (line) => logs.push(line),
  });

  return {
    cloud,
    runner,
    logs,
    publish: async (...items) => {
      const results = await publishMessages(
        { sqs: cloud.sqs.client, queueUrl: cloud.sqs.queueUrl },
        items.map((item) => (isEvent(item) ? messageOf(item) : item)),
      );
      const failed = results.filter((result) => result.error !== undefined);
      if (failed.length > 0)
        throw new Error(`publish failed: ${failed.map((f) => f.error?.message).join('; ')}`);
    },
    drain: () => runner.drained({ timeoutMs: 60_000 }),
    accountsOf: (tenantId) =>
      (cloud.twilio.accounts() as unknown as ReturnType<Pipeline['accountsOf']>).filter(
        (account) => account.friendly_name === `tenant:${tenantId}`,
      ),
    secretOf: async (tenantId) => {
      try {
        const answer = await cloud.secretsClient.send(
          new GetSecretValueCommand({ SecretId: `tenants/${tenantId}` }),
        );
        return JSON.parse(answer.SecretString ?? '') as TenantCredentials;
      } catch (error) {
        if (
          error instanceof Error &&
          ['ResourceNotFoundException', 'InvalidRequestException'].includes(error.name)
        ) {
          return undefined;
        }
        throw error;
      }
    },
    describeSecret: (tenantId) =>
      cloud.secretsClient.send(new DescribeSecretCommand({ SecretId: `tenants/${tenantId}` })),
    takeDeadLetters: async () => {
      const letters: DeadLetter[] = [];
      for (;;) {
        const answer = await cloud.sqs.client.send(
          new ReceiveMessageCommand({
            QueueUrl: cloud.sqs.dlqUrl,
            MaxNumberOfMessages: 10,
            MessageAttributeNames: ['All'],
            WaitTimeSeconds: 0,
          }),
        );
        const messages = answer.Messages ?? [];
        if (messages.length === 0) return letters;
        for (const message of messages) {
          letters.push({
            body: message.Body ?? '',
            attributes: Object.fromEntries(
              Object.entries(message.MessageAttributes ?? {}).map(([key, value]) => [key, value.StringValue]),
            ),
          });
          await cloud.sqs.client.send(
            new DeleteMessageCommand({ QueueUrl: cloud.sqs.dlqUrl, ReceiptHandle: message.ReceiptHandle }),
          );
        }
      }
    },
    outcomes: () =>
      logs
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((entry) => typeof entry.message === 'string' && entry.message.startsWith('record ')),
    stop: async () => {
      await runner.stop();
      await cloud.stop();
    },
  };
};
