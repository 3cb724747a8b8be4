/**
 * The SQS client as the functions build it. Its own module so that the tenant-events function
 * loads the SQS SDK only on the dead-letter path, the first time a record needs it.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { functionClientConfig } from './client-defaults.ts';

export const createSqsClient = (): SQSClient => new SQSClient(functionClientConfig());
