import { SQSClient } from '@aws-sdk/client-sqs';
import { DEFAULT_LOCAL_REGION, LOCAL_AWS_CREDENTIALS } from './credentials.ts';

/** A real SDK client pointed at the local SQS endpoint. */
export const createLocalSqsClient = (options: { endpoint: string; region?: string }): SQSClient =>
  new SQSClient({
    endpoint: options.endpoint,
    region: options.region ?? DEFAULT_LOCAL_REGION,
    credentials: { ...LOCAL_AWS_CREDENTIALS },
  });
