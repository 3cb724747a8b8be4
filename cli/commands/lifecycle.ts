/**
 * Operator shortcuts for the grace period and API keys, each one ordinary event published through
 * the same path as `tenants send` (a new UUID as eventId, now as occurredAt, MessageGroupId =
 * tenantId), so it is ordered behind the tenant's queued events, applied exactly once, and leaves
 * the same audit trail (ledger watermark, outcome event) as any producer's event:
 *
 * - `tenants close-now <tenantId>`: `tenant.close-due`, the close of a tenant in its churn grace
 *   period, now instead of at its due time (a tenant not in a grace period is left as it is);
 * - `tenants cancel-close <tenantId>`: `tenant.reinstated`, which inside the grace period
 *   reactivates the same subaccount and forgets the close;
 * - `tenants rotate <tenantId>`: `tenant.credentials-rotation-requested`, a new API key stored in
 *   the tenant's secret, then the old one deleted (needs TENANT_CREDENTIALS api-key or both).
 */
import type { Command } from 'commander';
import type { TenantEventType } from '../../shared/domain/event.ts';
import type { CliIo } from '../io.ts';
import { addQueueUrlOption } from '../options.ts';
import type { CommandRuntime } from '../runtime.ts';
import { publishTenantEvent } from './send.ts';

export interface LifecycleOptions {
  readonly queueUrl?: string;
}

interface LifecycleCommand {
  readonly name: string;
  readonly type: TenantEventType;
  readonly description: string;
}

export const LIFECYCLE_COMMANDS: readonly LifecycleCommand[] = [
  {
    name: 'close-now',
    type: 'tenant.close-due',
    description:
      'close a tenant in its churn grace period now: publishes tenant.close-due (no effect on a tenant not in a grace period)',
  },
  {
    name: 'cancel-close',
    type: 'tenant.reinstated',
    description:
      'cancel the scheduled close of a tenant in its grace period: publishes tenant.reinstated (the subaccount is reactivated)',
  },
  {
    name: 'rotate',
    type: 'tenant.credentials-rotation-requested',
    description:
      "rotate a tenant's API key: publishes tenant.credentials-rotation-requested (needs TENANT_CREDENTIALS api-key or both)",
  },
];

const register = (program: Command, runtime: CommandRuntime, spec: LifecycleCommand, io: CliIo): void => {
  const command = program
    .command(spec.name)
    .description(spec.description)
    .argument('<tenantId>', 'tenant id: 1..48 letters, digits, ".", "_" or "-"');
  addQueueUrlOption(command).action((tenantId: string, options: LifecycleOptions) =>
    runtime.run(options, (ctx) => publishTenantEvent({ type: spec.type, tenantId }, ctx, io)),
  );
};

export const registerLifecycleCommands = (program: Command, runtime: CommandRuntime): void => {
  for (const spec of LIFECYCLE_COMMANDS) register(program, runtime, spec, runtime.io);
};
