/**
 * The composition root of the tenant-events function, wiring only: builds the adapters from
 * configuration once per container (cold start) and hands them to the batch processing.
 */

import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createDynamoDbClient, createSecretsManagerClient } from '../../shared/aws/clients.ts';
import { METRICS_NAMESPACE, RECORDS_RECEIVED_METRIC, SERVICE } from '../../shared/contracts/metric-names.ts';
import { createFriendlyNameCodec } from '../../shared/domain/friendly-name.ts';
import type { OutcomePublisher } from '../../shared/domain/outcome-event.ts';
import { createDynamoDbLedger } from '../../shared/ledger/dynamodb-ledger.ts';
import { connectMainAccount } from '../../shared/main-account.ts';
import { createEventBridgeClient } from '../../shared/outcomes/client.ts';
import { createEventBridgeOutcomePublisher } from '../../shared/outcomes/eventbridge-publisher.ts';
import type { ParentCredentialsSource } from '../../shared/secrets/parent-credentials.ts';
import { createSecretsManagerVault } from '../../shared/secrets/tenant-vault.ts';
import {
  createTwilioApiKeyGateway,
  createTwilioSubaccountGateway,
  type TwilioAccountsClient,
} from '../../shared/twilio/index.ts';
import { processTenantEventBatch } from './batch.ts';
import type { TenantEventsConfig } from './config.ts';
import type { DeadLetterSender } from './dead-letter.ts';
import { createPowertoolsObserver, type RecordObserver } from './observer.ts';
import { createTenantEventProcessor } from './record-processor.ts';

export interface TenantEventsAppDependencies {
  /** Any Twilio Accounts client; the undici client over the main-account credentials unless given. */
  readonly twilio?: TwilioAccountsClient;
  readonly secretsClient?: SecretsManagerClient;
  readonly sqsClient?: SQSClient;
  readonly dynamoDbClient?: DynamoDBClient;
  readonly eventBridgeClient?: EventBridgeClient;
  readonly publisher?: OutcomePublisher;
  readonly observer?: RecordObserver;
  readonly logger?: Logger;
}

export interface TenantEventsApp {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly parentCredentials: ParentCredentialsSource;
  handleBatch(event: SQSEvent, context: Pick<Context, 'getRemainingTimeInMillis'>): Promise<SQSBatchResponse>;
}

/**
 * The dead-letter path is rare: the SQS SDK and the sender load on its first use, not at cold
 * start. https://docs.aws.amazon.com/lambda/latest/dg/best-practices.html
 */
const lazyDeadLetterSender = (queueUrl: string, sqsClient: SQSClient | undefined): DeadLetterSender => {
  let loading: Promise<DeadLetterSender> | undefined;
  const load = async (): Promise<DeadLetterSender> => {
    const [{ createDeadLetterSender }, { createSqsClient }] = await Promise.all([
      import('./dead-letter.ts'),
      import('../../shared/aws/sqs-client.ts'),
    ]);
    return createDeadLetterSender({ sqs: sqsClient ?? createSqsClient(), queueUrl });
  };
  return {
    send: async (record, why) => {
      loading ??= load().catch((error: unknown) => {
        loading = undefined;
        throw error;
      });
      return (await loading).send(record, why);
    },
  };
};

export const createTenantEventsApp = (
  config: TenantEventsConfig,
  overrides: TenantEventsAppDependencies = {},
): TenantEventsApp => {
  const logger = overrides.logger ?? new Logger({ serviceName: SERVICE.tenantEvents });
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE.tenantEvents });
  const secretsClient = overrides.secretsClient ?? createSecretsManagerClient();
  const { parentCredentials, twilio } = connectMainAccount(config, secretsClient, overrides.twilio);
  const observer = overrides.observer ?? createPowertoolsObserver({ logger, metrics });
  const processRecord = createTenantEventProcessor({
    lifecycle: {
      gateway: createTwilioSubaccountGateway(twilio),
      keys: createTwilioApiKeyGateway(twilio),
      vault: createSecretsManagerVault({
        client: secretsClient,
        prefix: config.SECRET_PREFIX,
        kmsKeyId: config.SECRETS_KMS_KEY_ID,
      }),
      ledger: createDynamoDbLedger({
        client: overrides.dynamoDbClient ?? createDynamoDbClient(),
        tableName: config.TENANT_LEDGER_TABLE,
      }),
      friendlyNames: createFriendlyNameCodec(config.FRIENDLY_NAME_TEMPLATE),
      recoveryWindowDays: config.SECRET_RECOVERY_WINDOW_DAYS,
      createSettleMs: config.CREATE_SETTLE_SECONDS * 1000,
      maxClockSkewMs: config.MAX_CLOCK_SKEW_SECONDS * 1000,
      churnGraceMs: Math.round(config.CHURN_GRACE_DAYS * 86_400_000),
      credentials: config.TENANT_CREDENTIALS,
    },
    deadLetter: lazyDeadLetterSender(config.DEAD_LETTER_QUEUE_URL, overrides.sqsClient),
    observer,
    publisher:
      overrides.publisher ??
      createEventBridgeOutcomePublisher({
        client: overrides.eventBridgeClient ?? createEventBridgeClient(),
        eventBusName: config.OUTCOME_EVENT_BUS,
      }),
  });

  return {
    logger,
    metrics,
    parentCredentials,
    handleBatch: (event, context) => {
      metrics.addMetric(RECORDS_RECEIVED_METRIC, MetricUnit.Count, event.Records.length);
      return processTenantEventBatch(event, context.getRemainingTimeInMillis(), {
        concurrency: config.TENANT_CONCURRENCY,
        processRecord,
        onSkipped: (record) =>
          observer.record({
            messageId: record.messageId,
            tenantId: record.tenantId,
            outcome: 'skipped',
            attempt: record.attempt,
            durationMs: 0,
            note: 'an earlier record of the same tenant must be retried first',
          }),
      });
    },
  };
};
