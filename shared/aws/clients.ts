/**
 * AWS SDK clients as the functions and tools build them. Region, credentials and endpoints come
 * from the standard AWS configuration (`AWS_REGION`, the credential chain, `AWS_ENDPOINT_URL_SQS`,
 * `AWS_ENDPOINT_URL_SECRETS_MANAGER`, `AWS_ENDPOINT_URL_DYNAMODB`), which is also how they are pointed at the local emulators.
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { functionClientConfig } from './client-defaults.ts';

export const createSecretsManagerClient = (): SecretsManagerClient =>
  new SecretsManagerClient(functionClientConfig());

/** The SDK's standard retry mode already backs off on DynamoDB throttling before we see it. */
export const createDynamoDbClient = (): DynamoDBClient => new DynamoDBClient(functionClientConfig());
