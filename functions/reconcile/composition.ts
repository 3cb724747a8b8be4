/**
 * The composition root of the reconcile function: builds the Twilio client and the Secrets
 * Manager and DynamoDB clients once per container, and exposes one drift check per scheduled invocation. Each
 * finding is one structured log line; the finding count is one EMF metric the alarms watch.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createDynamoDbClient, createSecretsManagerClient } from '../../shared/aws/clients.ts';
import {
  CAPACITY_METRIC,
  DRIFT_METRIC,
  METRICS_NAMESPACE,
  SERVICE,
} from '../../shared/contracts/metric-names.ts';
import { createFriendlyNameCodec } from '../../shared/domain/friendly-name.ts';
import { createDynamoDbLedger } from '../../shared/ledger/dynamodb-ledger.ts';
import { connectMainAccount } from '../../shared/main-account.ts';
import { type DriftKind, runReconcile } from '../../shared/reconcile/index.ts';
import type { ParentCredentialsSource } from '../../shared/secrets/parent-credentials.ts';
import type { TwilioAccountsClient } from '../../shared/twilio/index.ts';
import type { ReconcileConfig } from './config.ts';

export interface ReconcileAppOverrides {
  readonly secretsClient?: SecretsManagerClient;
  readonly dynamoDbClient?: DynamoDBClient;
  readonly twilioClient?: TwilioAccountsClient;
  readonly logger?: Logger;
  readonly metrics?: Metrics;
}

/** What an invocation returns (and logs): counts only, never an identifier of a credential. */
export interface ReconcileSummary {
  readonly drift: number;
  readonly byKind: Readonly<Partial<Record<DriftKind, number>>>;
  readonly subaccountsChecked: number;
  readonly secretsChecked: number;
  readonly ignoredSubaccounts: number;
  readonly unmanagedSecrets: number;
  readonly ledgerItemsChecked: number;
  readonly liveSubaccounts: number;
  readonly subaccountLimit: number;
}

export interface ReconcileApp {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly parentCredentials: ParentCredentialsSource;
  run(options?: { deadline?: number }): Promise<ReconcileSummary>;
}

const countByKind = (kinds: readonly DriftKind[]): Partial<Record<DriftKind, number>> => {
  const counts: Partial<Record<DriftKind, number>> = {};
  for (const kind of kinds) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
};

export const createReconcileApp = (
  config: ReconcileConfig,
  overrides: ReconcileAppOverrides = {},
): ReconcileApp => {
  const logger = overrides.logger ?? new Logger({ serviceName: SERVICE.reconcile });
  const metrics =
    overrides.metrics ?? new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE.reconcile });
  const secretsClient = overrides.secretsClient ?? createSecretsManagerClient();
  const { parentCredentials, twilio } = connectMainAccount(config, secretsClient, overrides.twilioClient);
  const codec = createFriendlyNameCodec(config.FRIENDLY_NAME_TEMPLATE);
  const dynamoDbClient = overrides.dynamoDbClient ?? createDynamoDbClient();
  const tableName = config.TENANT_LEDGER_TABLE;
  // Report only: the scheduled check never writes; `tenants reconcile --repair` does.
  const ledger = {
    client: dynamoDbClient,
    tableName,
    port: createDynamoDbLedger({ client: dynamoDbClient, tableName }),
  };

  return {
    logger,
    metrics,
    parentCredentials,
    run: async (options = {}) => {
      const report = await runReconcile(
        { twilio, secretsClient, secretPrefix: config.SECRET_PREFIX, codec, ledger },
        options,
      );
      for (const finding of report.findings) logger.warn(`drift ${finding.kind}`, { ...finding });
      for (const secret of report.unmanagedSecrets) {
        logger.info('secret under the prefix is not managed by this service', { ...secret });
      }
      metrics.addMetric(DRIFT_METRIC, MetricUnit.Count, report.findings.length);
      // Past the limit, every signup fails with 21480; raising it takes days: the alarm looks ahead.
      metrics.addMetric(CAPACITY_METRIC.liveSubaccounts, MetricUnit.Count, report.liveSubaccounts);
      metrics.addMetric(CAPACITY_METRIC.subaccountLimit, MetricUnit.Count, config.SUBACCOUNT_LIMIT);
      const summary: ReconcileSummary = {
        drift: report.findings.length,
        byKind: countByKind(report.findings.map((finding) => finding.kind)),
        subaccountsChecked: report.subaccountsChecked,
        secretsChecked: report.secretsChecked,
        ignoredSubaccounts: report.ignoredSubaccounts,
        unmanagedSecrets: report.unmanagedSecrets.length,
        liveSubaccounts: report.liveSubaccounts,
        subaccountLimit: config.SUBACCOUNT_LIMIT,
        ledgerItemsChecked: report.ledgerItemsChecked ?? 0,
      };
      logger.info('reconcile finished', { ...summary });
      return summary;
    },
  };
};
