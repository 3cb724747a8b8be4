/**
 * Builds the settings and the clients a command needs, once per run, from the options and the
 * environment. AWS clients follow the standard AWS configuration (region, credential chain,
 * `AWS_ENDPOINT_URL_SQS`, `AWS_ENDPOINT_URL_SECRETS_MANAGER`, `AWS_ENDPOINT_URL_DYNAMODB`), read from the run's environment
 * so the same code points at real AWS or at local stand-ins.
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { Agent } from 'undici';
import { createFriendlyNameCodec, type FriendlyNameCodec } from '../shared/domain/friendly-name.ts';
import type { TenantLedger } from '../shared/domain/ports.ts';
import { createDynamoDbLedger } from '../shared/ledger/dynamodb-ledger.ts';
import { createParentCredentialsSource } from '../shared/secrets/parent-credentials.ts';
import { createTwilioAccountsClient } from '../shared/twilio/client.ts';
import type { TwilioAccountsApi } from '../shared/twilio/types.ts';
import { type CliConfig, type CliFlags, readCliConfig, requireCliSetting } from './config.ts';
import type { CliIo } from './io.ts';

/** A CLI run is short: the main-account credentials are read once (and again after a 401). */
const PARENT_CREDENTIALS_TTL_MS = 15 * 60_000;

const requestHandler = { connectionTimeout: 3_000, requestTimeout: 15_000 };

export interface CliContext {
  readonly config: CliConfig;
  readonly codec: FriendlyNameCodec;
  sqs(): SQSClient;
  secrets(): SecretsManagerClient;
  dynamodb(): DynamoDBClient;
  /** The tenant ledger, its table, and the client that reads it (requires the table setting). */
  ledger(): { readonly port: TenantLedger; readonly tableName: string; readonly client: DynamoDBClient };
  twilio(): TwilioAccountsApi;
  close(): Promise<void>;
}

type Env = CliIo['env'];

const awsClientConfig = (env: Env, endpointVariable: string) => {
  const endpoint = env[endpointVariable] || env.AWS_ENDPOINT_URL;
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = env;
  return {
    maxAttempts: 3,
    requestHandler,
    ...(endpoint ? { endpoint } : {}),
    ...(region ? { region } : {}),
    // Without both keys in the environment, the SDK's default credential chain applies.
    ...(accessKeyId && secretAccessKey
      ? {
          credentials: {
            accessKeyId,
            secretAccessKey,
            ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
          },
        }
      : {}),
  };
};

const once = <T>(build: () => T): (() => T) => {
  let built: { value: T } | undefined;
  return () => {
    built ??= { value: build() };
    return built.value;
  };
};

export const createCliContext = (flags: CliFlags, io: Pick<CliIo, 'env'>): CliContext => {
  const config = readCliConfig(flags, io.env);
  const codec = createFriendlyNameCodec(config.friendlyNameTemplate);
  const closers: Array<() => Promise<void> | void> = [];

  const sqs = once(() => {
    const client = new SQSClient(awsClientConfig(io.env, 'AWS_ENDPOINT_URL_SQS'));
    closers.push(() => client.destroy());
    return client;
  });
  const secrets = once(() => {
    const client = new SecretsManagerClient(awsClientConfig(io.env, 'AWS_ENDPOINT_URL_SECRETS_MANAGER'));
    closers.push(() => client.destroy());
    return client;
  });
  const dynamodb = once(() => {
    const client = new DynamoDBClient(awsClientConfig(io.env, 'AWS_ENDPOINT_URL_DYNAMODB'));
    closers.push(() => client.destroy());
    return client;
  });
  const ledger = once(() => {
    const tableName = requireCliSetting(config, 'ledgerTable');
    return { port: createDynamoDbLedger({ client: dynamodb(), tableName }), tableName, client: dynamodb() };
  });
  const twilio = once(() => {
    const secretId = requireCliSetting(config, 'parentCredentialsSecret');
    const dispatcher = new Agent({ connect: { timeout: 3_000 } });
    closers.push(() => dispatcher.close());
    return createTwilioAccountsClient({
      credentials: createParentCredentialsSource({
        client: secrets(),
        secretId,
        ttlMs: PARENT_CREDENTIALS_TTL_MS,
      }),
      baseUrl: config.twilioApiBaseUrl,
      dispatcher,
    });
  });

  return {
    config,
    codec,
    sqs,
    secrets,
    dynamodb,
    ledger,
    twilio,
    close: async () => {
      await Promise.allSettled(closers.map((close) => close()));
    },
  };
};
