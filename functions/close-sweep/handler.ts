/**
 * Lambda entry of the close-sweep function, run on an EventBridge schedule (hourly by default):
 * queues a `tenant.close-due` event for every tenant whose churn grace period has ended. The
 * close itself happens in the tenant-events function, ordered and leased like any event.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import type { SweepResult } from '../../shared/sweep/close-sweep.ts';
import { createCloseSweepApp } from './composition.ts';
import { readCloseSweepConfig } from './config.ts';

const app = createCloseSweepApp(readCloseSweepConfig(process.env));

export const handler = middy<ScheduledEvent, SweepResult>()
  .use(injectLambdaContext(app.logger))
  .use(logMetrics(app.metrics, { captureColdStartMetric: true }))
  .handler(() => app.run());
