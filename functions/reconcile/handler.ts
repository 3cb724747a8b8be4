/**
 * Lambda entry of the reconcile function, run on an EventBridge schedule. Configuration is read
 * and validated here, once, at cold start. The check only reads and reports; repairs stay with
 * an operator (docs/operations.md).
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { prefetchCredentials } from '../../shared/middleware/prefetch-credentials.ts';
import { createReconcileApp, type ReconcileSummary } from './composition.ts';
import { readReconcileConfig } from './config.ts';

const app = createReconcileApp(readReconcileConfig(process.env));

/** Time kept back so a slow Twilio page fails the run cleanly instead of timing out the function. */
const RESERVE_MS = 2_000;

export const handler = middy<ScheduledEvent, ReconcileSummary>()
  .use(injectLambdaContext(app.logger))
  .use(logMetrics(app.metrics, { captureColdStartMetric: true }))
  .use(prefetchCredentials({ source: app.parentCredentials }))
  .handler((_event, context) =>
    app.run({ deadline: Date.now() + Math.max(0, context.getRemainingTimeInMillis() - RESERVE_MS) }),
  );
