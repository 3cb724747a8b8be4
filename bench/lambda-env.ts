/**
 * The environment a deployed tenant-events function sees, for runs against the local cloud: the
 * local cloud's variables (endpoints, queue, secret names) plus what the stack adds to every
 * function (infra/constructs/provisioner-function.ts). Source maps stay enabled as deployed,
 * since Node then reads each bundle's map at load time, which is part of the cold start.
 */
import { DEFAULT_CONFIG } from '../infra/config.ts';
import type { LocalCloud } from '../local/cloud.ts';
import { METRICS_NAMESPACE, SERVICE } from '../shared/contracts/metric-names.ts';

export const FUNCTION_TIMEOUT_MS = DEFAULT_CONFIG.functionTimeoutSeconds * 1000;

export const deployedFunctionEnv = (cloud: Pick<LocalCloud, 'env'>): Record<string, string> => ({
  ...cloud.env,
  NODE_OPTIONS: '--enable-source-maps',
  // Lambda runs Node.js 24; on the Node 20 this benchmark may run on, the AWS SDK would also build
  // and print an end-of-support notice (with a source-mapped stack) that Lambda never produces.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  POWERTOOLS_SERVICE_NAME: SERVICE.tenantEvents,
  POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
  POWERTOOLS_LOG_LEVEL: DEFAULT_CONFIG.logLevel,
});
