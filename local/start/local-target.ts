/** The local cloud (startLocalCloud) as a target: every endpoint on loopback, nothing to configure. */
import { DEFAULT_OUTCOME_EVENT_BUS, TENANT_CREDENTIAL_SETTING } from '../../shared/config/settings.ts';
import { ENV } from '../../shared/contracts/env-names.ts';
import { OUTCOME_SOURCE } from '../../shared/domain/outcome-event.ts';
import type { TenantCredentialKind } from '../../shared/domain/ports.ts';
import { DEFAULT_SECRET_PREFIX, startLocalCloud } from '../cloud.ts';
import type { ReceivedEvent } from '../eventbridge/index.ts';
import type { PublishedOutcome, Target } from './target.ts';

/**
 * Short enough that a failed record is retried within seconds, longer than the function timeout
 * so a batch in progress is never delivered a second time. SQS moves a message that failed this
 * many receives to the DLQ by itself (RedrivePolicy), as on AWS.
 */
export const LOCAL_QUEUE_SETTINGS = { visibilityTimeoutSeconds: 15, maxReceiveCount: 3 } as const;

/**
 * What the local run sets in the function's environment on top of the local cloud's, always (a
 * value in this shell is not used), so the expectations model knows what the function does.
 */
export interface LocalFunctionSettings {
  /** The grace period: CHURN_GRACE_DAYS as a decimal number of days, and what the function makes of it. */
  readonly churnGrace?: { readonly days: string; readonly ms: number };
  readonly tenantCredentials?: TenantCredentialKind;
}

const toOutcome = (event: ReceivedEvent): PublishedOutcome => ({
  type: event.detailType,
  tenantId: typeof event.detail.tenantId === 'string' ? event.detail.tenantId : undefined,
  causingEventId: String(event.detail.causingEventId ?? ''),
});

export const startLocalTarget = async (settings: LocalFunctionSettings = {}): Promise<Target> => {
  const cloud = await startLocalCloud(LOCAL_QUEUE_SETTINGS);
  const { sqs, dynamodb, eventbridge } = cloud;
  const credentials = settings.tenantCredentials ?? TENANT_CREDENTIAL_SETTING.default;
  return {
    mode: 'local',
    region: cloud.region,
    sqs: sqs.client,
    queueUrl: sqs.queueUrl,
    queueArn: sqs.queueArn,
    dlqUrl: sqs.dlqUrl,
    secretsClient: cloud.secretsClient,
    secretPrefix: cloud.env.SECRET_PREFIX ?? DEFAULT_SECRET_PREFIX,
    parentCredentialsSecret: cloud.parentCredentialsSecretName,
    twilioBaseUrl: cloud.twilio.url,
    friendlyNameTemplate: undefined,
    handlerEnv: {
      ...cloud.env,
      [ENV.churnGraceDays]: settings.churnGrace?.days ?? '0',
      [ENV.tenantCredentials]: credentials,
    },
    // Printed for the operator: the stand-in credentials are not secret (nothing validates them).
    shellEnv: {
      AWS_REGION: cloud.region,
      AWS_ACCESS_KEY_ID: cloud.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: cloud.credentials.secretAccessKey,
      AWS_ENDPOINT_URL_SQS: sqs.url,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: cloud.secrets.url,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodb.url,
      TWILIO_API_BASE_URL: cloud.twilio.url,
      TENANT_EVENTS_QUEUE_URL: sqs.queueUrl,
      DEAD_LETTER_QUEUE_URL: sqs.dlqUrl,
      SECRET_PREFIX: cloud.env.SECRET_PREFIX ?? DEFAULT_SECRET_PREFIX,
      PARENT_CREDENTIALS_SECRET: cloud.parentCredentialsSecretName,
      TENANT_LEDGER_TABLE: dynamodb.tableName,
    },
    endpoints: [
      { label: 'Twilio Accounts emulator', url: cloud.twilio.url },
      { label: 'Secrets Manager emulator', url: cloud.secrets.url },
      { label: 'DynamoDB (tenant ledger)', url: dynamodb.url },
      { label: 'EventBridge (outcome events)', url: eventbridge.url },
      { label: 'SQS endpoint', url: sqs.url },
      { label: 'Tenant events queue', url: sqs.queueUrl },
      { label: 'Dead-letter queue', url: sqs.dlqUrl },
    ],
    twilioEmulator: cloud.twilio,
    ledger: { client: dynamodb.client, tableName: dynamodb.tableName },
    // Every bus: the function's OUTCOME_EVENT_BUS may come from this shell.
    outcomes: () =>
      eventbridge
        .received()
        .filter((event) => event.source === OUTCOME_SOURCE)
        .map(toOutcome),
    outcomeBus: process.env[ENV.outcomeEventBus] || DEFAULT_OUTCOME_EVENT_BUS,
    lifecycle: { churnGraceMs: settings.churnGrace?.ms ?? 0, credentials },
    stop: () => cloud.stop(),
  };
};
