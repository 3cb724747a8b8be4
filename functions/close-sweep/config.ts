import { readEnv } from '../../shared/config/read-env.ts';
import { tableNameProblems } from '../../shared/config/settings.ts';
import { ENV } from '../../shared/contracts/env-names.ts';
import * as z from '../../shared/zod.ts';

export const closeSweepConfigSchema = z.object({
  [ENV.tenantLedgerTable]: z
    .string({ error: 'is required (name of the DynamoDB tenant ledger table)' })
    .check(
      z.superRefine((value, ctx) => {
        for (const message of tableNameProblems(value))
          ctx.issues.push({ code: 'custom', message, input: value });
      }),
    ),
  [ENV.tenantEventsQueueUrl]: z.url({ error: 'is required and must be the tenant-events queue URL' }),
});

export type CloseSweepConfig = z.infer<typeof closeSweepConfigSchema>;

export const readCloseSweepConfig = (env: Readonly<Record<string, string | undefined>>): CloseSweepConfig =>
  readEnv(closeSweepConfigSchema, env);
