/**
 * The tenant-events app built in this process the way the handler builds it at cold start (same
 * configuration reader, same AWS SDK and Twilio clients), pointed at the local cloud. Logs and
 * metrics are off so the benchmark's own output stays readable; neither makes a network call.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { createTenantEventsApp, type TenantEventsApp } from '../functions/tenant-events/composition.ts';
import { readTenantEventsConfig } from '../functions/tenant-events/config.ts';
import type { LocalCloud } from '../local/cloud.ts';

export const createInProcessApp = (cloud: LocalCloud): TenantEventsApp => {
  // The AWS SDK clients read their endpoints and region from the environment, as in Lambda.
  Object.assign(process.env, cloud.env, { POWERTOOLS_METRICS_DISABLED: 'true' });
  return createTenantEventsApp(readTenantEventsConfig(cloud.env), {
    logger: new Logger({ serviceName: 'bench', logLevel: 'SILENT' }),
  });
};
