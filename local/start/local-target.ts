/** The local cloud (startLocalCloud) as a target: every endpoint on loopback, nothing to configure. */
import { DEFAULT_SECRET_PREFIX, startLocalCloud } from '../cloud.ts';
import type { Target } from './target.ts';

/**
 * Short enough that a failed record is retried within seconds, longer than the function timeout
 * so a batch in progress is never delivered a second time. SQS moves a message that failed this
 * many receives to the DLQ by itself (RedrivePolicy), as on AWS.
 */
export const LOCAL_QUEUE_SETTINGS = { visibilityTimeoutSeconds: 15, maxReceiveCount: 3 } as const;

export const startLocalTarget = async (): Promise<Target> => {
  const cloud = await startLocalCloud(LOCAL_QUEUE_SETTINGS);
  const { sqs } = cloud;
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
    handlerEnv: { ...cloud.env },
    // Printed for the operator: the stand-in credentials are not secret (nothing validates them).
    shellEnv: {
      AWS_REGION: cloud.region,
      AWS_ACCESS_KEY_ID: cloud.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: cloud.credentials.secretAccessKey,
      AWS_ENDPOINT_URL_SQS: sqs.url,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: cloud.secrets.url,
      TWILIO_API_BASE_URL: cloud.twilio.url,
      TENANT_EVENTS_QUEUE_URL: sqs.queueUrl,
      DEAD_LETTER_QUEUE_URL: sqs.dlqUrl,
      SECRET_PREFIX: cloud.env.SECRET_PREFIX ?? DEFAULT_SECRET_PREFIX,
      PARENT_CREDENTIALS_SECRET: cloud.parentCredentialsSecretName,
    },
    endpoints: [
      { label: 'Twilio Accounts emulator', url: cloud.twilio.url },
      { label: 'Secrets Manager emulator', url: cloud.secrets.url },
      { label: 'SQS endpoint', url: sqs.url },
      { label: 'Tenant events queue', url: sqs.queueUrl },
      { label: 'Dead-letter queue', url: sqs.dlqUrl },
    ],
    twilioEmulator: cloud.twilio,
    stop: () => cloud.stop(),
  };
};
