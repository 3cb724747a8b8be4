/**
 * Configuration of the reconcile function, read from the environment at cold start: the
 * tenant-events function's fields it needs (the same rules), and the subaccount limit.
 */

import { integerSetting } from '../../shared/config/env-fields.ts';
import { readEnv } from '../../shared/config/read-env.ts';
import { INTEGER_SETTINGS } from '../../shared/config/settings.ts';
import { ENV } from '../../shared/contracts/env-names.ts';
import * as z from '../../shared/zod.ts';
import { tenantEventsConfigSchema } from '../tenant-events/config.ts';

export const reconcileConfigSchema = z.extend(
  z.pick(tenantEventsConfigSchema, {
    [ENV.secretPrefix]: true,
    [ENV.parentCredentialsSecret]: true,
    [ENV.parentCredentialsTtlSeconds]: true,
    [ENV.friendlyNameTemplate]: true,
    [ENV.twilioApiBaseUrl]: true,
    [ENV.twilioMaxAttempts]: true,
    [ENV.tenantLedgerTable]: true,
  }),
  {
    [ENV.subaccountLimit]: integerSetting(INTEGER_SETTINGS.subaccountLimit),
  },
);

export type ReconcileConfig = z.infer<typeof reconcileConfigSchema>;

export const readReconcileConfig = (env: Readonly<Record<string, string | undefined>>): ReconcileConfig =>
  readEnv(reconcileConfigSchema, env);
