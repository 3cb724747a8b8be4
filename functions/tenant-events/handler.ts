/**
 * Lambda entry of the tenant-events function (SQS FIFO event source, partial batch responses).
 * Configuration is read and validated here, once, at cold start; everything else lives in the
 * composition root and the domain.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createTenantEventsApp } from '../../shared/app/tenant-events-app.ts';
import { readTenantEventsConfig } from '../../shared/config/tenant-events-config.ts';
import { prefetchCredentials } from '../../shared/middleware/prefetch-credentials.ts';

const app = createTenantEventsApp(readTenantEventsConfig(process.env));

export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(app.logger))
  .use(logMetrics(app.metrics, { captureColdStartMetric: true }))
  .use(prefetchCredentials({ source: app.parentCredentials }))
  .handler((event, context) => app.handleBatch(event, context));
