/**
 * The composition root of the close-sweep function: the ledger client and the queue, once per
 * container; one sweep per scheduled invocation, with its counts as EMF metrics.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { createDynamoDbClient } from '../../shared/aws/clients.ts';
import { createSqsClient } from '../../shared/aws/sqs-client.ts';
import { CLOSE_SWEEP_METRIC, METRICS_NAMESPACE, SERVICE } from '../../shared/contracts/metric-names.ts';
import { scanLedger } from '../../shared/ledger/scan-ledger.ts';
import { type SweepResult, sweepDueCloses } from '../../shared/sweep/close-sweep.ts';
import type { CloseSweepConfig } from './config.ts';

export interface CloseSweepAppOverrides {
  readonly dynamoDbClient?: DynamoDBClient;
  readonly sqsClient?: SQSClient;
  readonly logger?: Logger;
  readonly metrics?: Metrics;
  readonly now?: () => Date;
}

export interface CloseSweepApp {
  readonly logger: Logger;
  readonly metrics: Metrics;
  run(): Promise<SweepResult>;
}

export const createCloseSweepApp = (
  config: CloseSweepConfig,
  overrides: CloseSweepAppOverrides = {},
): CloseSweepApp => {
  const logger = overrides.logger ?? new Logger({ serviceName: SERVICE.closeSweep });
  const metrics =
    overrides.metrics ?? new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE.closeSweep });
  const dynamodb = overrides.dynamoDbClient ?? createDynamoDbClient();
  const sqs = overrides.sqsClient ?? createSqsClient();
  return {
    logger,
    metrics,
    run: async () => {
      const entries = await scanLedger(dynamodb, config.TENANT_LEDGER_TABLE);
      const result = await sweepDueCloses(
        entries,
        { sqs, queueUrl: config.TENANT_EVENTS_QUEUE_URL },
        (overrides.now ?? (() => new Date()))(),
      );
      metrics.addMetric(CLOSE_SWEEP_METRIC.closing, MetricUnit.Count, result.closing);
      metrics.addMetric(CLOSE_SWEEP_METRIC.queued, MetricUnit.Count, result.queued.length);
      metrics.addMetric(CLOSE_SWEEP_METRIC.failed, MetricUnit.Count, result.failed.length);
      logger.info('close sweep finished', {
        closing: result.closing,
        queued: result.queued,
        failed: result.failed.length,
      });
      // A refused send is tried again by the next sweep; failing the run makes it visible now.
      if (result.failed.length > 0)
        throw new Error(`${result.failed.length} close-due event(s) could not be queued`);
      return result;
    },
  };
};
