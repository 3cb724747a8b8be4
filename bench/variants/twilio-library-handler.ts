/**
 * The tenant-events Lambda entry with the official `twilio` library as its Twilio client: the
 * same composition root, configuration and middy middleware as functions/tenant-events/handler.ts,
 * differing only in `overrides.twilioClient`. Bundled by the cold-start benchmark with the stack's
 * esbuild options.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createTenantEventsApp } from '../../shared/app/tenant-events-app.ts';
import { readTenantEventsConfig } from '../../shared/config/tenant-events-config.ts';
import { prefetchCredentials } from '../../shared/middleware/prefetch-credentials.ts';
import { createTwilioLibraryAccounts } from './twilio-library-accounts.ts';

const config = readTenantEventsConfig(process.env);
// The app owns the parent-credentials cache; the library client reads through it, as the undici
// client does, so both variants make the same Secrets Manager calls. Nothing of the undici client
// is imported, so this bundle carries only the twilio library.
const app = createTenantEventsApp(config, {
  createTwilioClient: (credentials) =>
    createTwilioLibraryAccounts({ credentials, baseUrl: config.TWILIO_API_BASE_URL }),
});

app.parentCredentials.prefetch();

export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(app.logger))
  .use(logMetrics(app.metrics, { captureColdStartMetric: true }))
  .use(prefetchCredentials({ source: app.parentCredentials }))
  .handler((event, context) => app.handleBatch(event, context));
