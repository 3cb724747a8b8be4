/**
 * Lambda entry of the tenant-events function (SQS FIFO event source, partial batch responses).
 * Configuration is read and validated here, once, at cold start; everything else lives in the
 * composition root and the domain.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { prefetchCredentials } from '../../shared/middleware/prefetch-credentials.ts';
import { createTenantEventsApp } from './composition.ts';
import { readTenantEventsConfig } from './config.ts';

const app = createTenantEventsApp(readTenantEventsConfig(process.env));
// Read the main-account credentials during the init phase, as middy's secret middlewares do.
app.parentCredentials.prefetch();

/**
 * middy's early timeout is off: it would fail the batch a moment before the deadline but leave
 * the records' work running in the background of a live environment. The processor already stops
 * starting records near the deadline; past it, Lambda's own timeout ends the environment cleanly.
 */
export const handler = middy<SQSEvent, SQSBatchResponse>({ timeoutEarlyInMillis: 0 })
  .use(injectLambdaContext(app.logger))
  .use(logMetrics(app.metrics, { captureColdStartMetric: true }))
  .use(prefetchCredentials({ source: app.parentCredentials }))
  .handler((event, context) => app.handleBatch(event, context));
