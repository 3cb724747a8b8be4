/**
 * Configuration of the reconcile function, read from the environment at cold start. It is the
 * tenant-events function's schema narrowed to what a read-only drift check needs, so both
 * functions validate a shared variable the same way.
 */

import { readEnv } from '../../shared/config/read-env.ts';
import { ENV } from '../../shared/contracts/env-names.ts';
import * as z from '../../shared/zod.ts';
import { tenantEventsConfigSchema } from '../tenant-events/config.ts';

export const reconcileConfigSchema = z.pick(tenantEventsConfigSchema, {
  [ENV.secretPrefix]: true,
  [ENV.parentCredentialsSecret]: true,
  [ENV.parentCredentialsTtlSeconds]: true,
  [ENV.friendlyNameTemplate]: true,
  [ENV.twilioApiBaseUrl]: true,
  [ENV.twilioMaxAttempts]: true,
  [ENV.tenantLedgerTable]: true,
});

export type ReconcileConfig = z.infer<typeof reconcileConfigSchema>;

export const readReconcileConfig = (env: Readonly<Record<string, string | undefined>>): ReconcileConfig =>
  readEnv(reconcileConfigSchema, env);
