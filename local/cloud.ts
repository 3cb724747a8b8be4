import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { DEFAULT_SECRET_PREFIX as DEFAULT_PREFIX } from '../shared/config/settings.ts';
import { ENV } from '../shared/contracts/env-names.ts';
import { ProvisionerError } from '../shared/errors.ts';
import { type LocalDynamoDb, type LocalDynamoDbOptions, startLocalDynamoDb } from './dynamodb/index.ts';
import {
  type LocalEventBridge,
  type LocalEventBridgeOptions,
  startLocalEventBridge,
} from './eventbridge/index.ts';
import {
  type SecretsManagerEmulator,
  type SecretsManagerEmulatorOptions,
  startSecretsManagerEmulator,
} from './secrets-emulator/index.ts';
import {
  createLocalSqsClient,
  createQueueTopology,
  DEFAULT_LOCAL_REGION,
  LOCAL_AWS_CREDENTIALS,
  type QueueTopology,
  resolveTopologyOptions,
  startLocalSqs,
} from './sqs/index.ts';
import {
  startTwilioEmulator,
  type TwilioEmulator,
  type TwilioEmulatorOptions,
} from './twilio-emulator/index.ts';

export interface LocalCloudOptions {
  maxReceiveCount?: number;
  visibilityTimeoutSeconds?: number;
  region?: string;
  /** Default `tenants`. */
  secretPrefix?: string;
  twilio?: Partial<TwilioEmulatorOptions>;
  secrets?: Partial<Omit<SecretsManagerEmulatorOptions, 'region'>>;
  /** dynalite behind a fault proxy, holding the tenant ledger table. */
  dynamodb?: Omit<LocalDynamoDbOptions, 'region'>;
  /** The EventBridge stand-in outcome events are published to. */
  eventbridge?: Omit<LocalEventBridgeOptions, 'region'>;
  /** Default `subaccount-provisioner/parent-credentials`. */
  parentCredentialsSecretName?: string;
}

export interface LocalCloud {
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  twilio: TwilioEmulator;
  secrets: SecretsManagerEmulator;
  /** The tenant ledger's DynamoDB (dynalite), created with the stack's table definition. */
  dynamodb: LocalDynamoDb;
  /** The EventBridge stand-in (PutEvents) that receives outcome events. */
  eventbridge: LocalEventBridge;
  sqs: QueueTopology & { url: string; client: SQSClient };
  secretsClient: SecretsManagerClient;
  parentCredentialsSecretName: string;
  /** What the function reads at cold start, pointing every AWS SDK client and Twilio at loopback. */
  env: Record<string, string>;
  /** Closes every server and client; safe to call twice. */
  stop(): Promise<void>;
}

/** A local-cloud option is missing or malformed; the message names the option. */
export class LocalCloudOptionError extends ProvisionerError {
  readonly code = 'LOCAL_CLOUD_INVALID_OPTION';

  constructor(option: string, reason: string) {
    super(`invalid local cloud option "${option}": ${reason}`, { retryable: false, context: { option } });
  }
}

export const DEFAULT_PARENT_CREDENTIALS_SECRET = 'subaccount-provisioner/parent-credentials';
export { DEFAULT_SECRET_PREFIX } from '../shared/config/settings.ts';

/**
 * Starts everything the service talks to on free loopback ports: the Twilio Accounts emulator,
 * the Secrets Manager emulator, dynalite holding the tenant ledger table (behind a fault proxy),
 * and an in-memory SQS holding the tenant-events FIFO queue and its DLQ. The main account's credentials are stored as the parent-credentials secret, as the
 * deployment's operator would, so the real handler can run against it unchanged.
 */
export const startLocalCloud = async (options: LocalCloudOptions = {}): Promise<LocalCloud> => {
  const region = options.region ?? DEFAULT_LOCAL_REGION;
  const secretPrefix = nonEmpty('secretPrefix', options.secretPrefix ?? DEFAULT_PREFIX);
  const parentCredentialsSecretName = nonEmpty(
    'parentCredentialsSecretName',
    options.parentCredentialsSecretName ?? DEFAULT_PARENT_CREDENTIALS_SECRET,
  );
  const topologyOptions = resolveTopologyOptions({
    maxReceiveCount: options.maxReceiveCount,
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds,
  });
  const cleanup = new Cleanup();
  try {
    const twilio = cleanup.add(await startTwilioEmulator({ ...options.twilio }), (t) => t.close());
    const secrets = cleanup.add(await startSecretsManagerEmulator({ ...options.secrets, region }), (s) =>
      s.close(),
    );
    const dynamodb = cleanup.add(await startLocalDynamoDb({ ...options.dynamodb, region }), (d) => d.close());
    const eventbridge = cleanup.add(await startLocalEventBridge({ ...options.eventbridge, region }), (e) =>
      e.close(),
    );
    const sqsServer = cleanup.add(await startLocalSqs({ defaultRegion: region }), (s) => s.stop());
    const sqsClient = cleanup.add(createLocalSqsClient({ endpoint: sqsServer.url, region }), destroyClient);
    const secretsClient = cleanup.add(
      new SecretsManagerClient({ endpoint: secrets.url, region, credentials: { ...LOCAL_AWS_CREDENTIALS } }),
      destroyClient,
    );
    const topology = await createQueueTopology(sqsClient, topologyOptions);
    await secretsClient.send(
      new CreateSecretCommand({
        Name: parentCredentialsSecretName,
        Description: 'Main Twilio account used to manage tenant subaccounts',
        SecretString: JSON.stringify({ accountSid: twilio.accountSid, authToken: twilio.authToken }),
      }),
    );
    return {
      region,
      credentials: { ...LOCAL_AWS_CREDENTIALS },
      twilio,
      secrets,
      dynamodb,
      eventbridge,
      sqs: { url: sqsServer.url, client: sqsClient, ...topology },
      secretsClient,
      parentCredentialsSecretName,
      env: {
        AWS_REGION: region,
        AWS_ACCESS_KEY_ID: LOCAL_AWS_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_AWS_CREDENTIALS.secretAccessKey,
        // Service-specific endpoint variables of the AWS SDKs:
        // https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
        AWS_ENDPOINT_URL_SQS: sqsServer.url,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
        ...dynamodb.env,
        ...eventbridge.env,
        [ENV.twilioApiBaseUrl]: twilio.url,
        [ENV.parentCredentialsSecret]: parentCredentialsSecretName,
        [ENV.deadLetterQueueUrl]: topology.dlqUrl,
        [ENV.secretPrefix]: secretPrefix,
      },
      stop: () => cleanup.run(),
    };
  } catch (error) {
    await cleanup.run().catch(() => {});
    throw error;
  }
};

const nonEmpty = (option: string, value: string): string => {
  if (typeof value !== 'string' || value.length === 0)
    throw new LocalCloudOptionError(option, 'must be a non-empty string');
  return value;
};

const destroyClient = async (client: { destroy(): void }): Promise<void> => client.destroy();

/** Undoes what was started, once; every step runs even if another one fails. */
class Cleanup {
  readonly #steps: Array<() => Promise<void>> = [];
  #done: Promise<void> | undefined;

  add<T>(resource: T, close: (resource: T) => Promise<void>): T {
    this.#steps.push(() => close(resource));
    return resource;
  }

  run(): Promise<void> {
    this.#done ??= (async () => {
      const results = await Promise.allSettled(this.#steps.map((step) => step()));
      const failure = results.find((result) => result.status === 'rejected');
      if (failure !== undefined) throw failure.reason;
    })();
    return this.#done;
  }
}
