/**
 * `tenants status [tenantId]`: one tenant, or every tenant under the prefix. The auth token is
 * shown only with --show-token; without it, it is never even read.
 */
import type { Command } from 'commander';
import { TENANT_ID_PATTERN } from '../../shared/domain/event.ts';
import { createSecretsManagerVault } from '../../shared/secrets/tenant-vault.ts';
import type { CliContext } from '../context.ts';
import { CliInputError } from '../errors.ts';
import type { CliIo } from '../io.ts';
import { addJsonOption, addSecretOptions } from '../options.ts';
import { type Column, formatTable, writeJson, writeLine } from '../output.ts';
import { type CommandRuntime, EXIT } from '../runtime.ts';
import {
  allTenantStatuses,
  type StatusSources,
  type TenantStatus,
  tenantStatus,
} from '../status/tenant-status.ts';

export interface StatusOptions {
  readonly showToken?: boolean;
  readonly json?: boolean;
  readonly secretPrefix?: string;
  readonly parentSecret?: string;
}

type StatusWithToken = TenantStatus & { readonly authToken?: string };

const secretCell = (status: TenantStatus): string =>
  status.secret === 'retired' && status.deletionAfter !== undefined
    ? `retired (deleted after ${status.deletionAfter.slice(0, 10)})`
    : status.secret;

const COLUMNS: readonly Column<StatusWithToken>[] = [
  { header: 'TENANT', value: (s) => s.tenantId },
  { header: 'SUBACCOUNT', value: (s) => s.accountSid ?? '-' },
  { header: 'TWILIO', value: (s) => s.twilioStatus },
  { header: 'SECRET', value: secretCell },
  { header: 'LAST EVENT', value: (s) => s.lastEventId ?? '-' },
  { header: 'AT', value: (s) => s.lastEventAt ?? '-' },
];

const TOKEN_COLUMN: Column<StatusWithToken> = { header: 'AUTH TOKEN', value: (s) => s.authToken ?? '-' };

const withTokens = async (ctx: CliContext, statuses: readonly TenantStatus[]): Promise<StatusWithToken[]> => {
  const vault = createSecretsManagerVault({ client: ctx.secrets(), prefix: ctx.config.secretPrefix });
  const withToken: StatusWithToken[] = [];
  for (const status of statuses) {
    const credentials = status.secret === 'stored' ? await vault.readCredentials(status.tenantId) : undefined;
    withToken.push(credentials === undefined ? status : { ...status, authToken: credentials.authToken });
  }
  return withToken;
};

export const runStatus = async (
  tenantId: string | undefined,
  options: StatusOptions,
  ctx: CliContext,
  io: CliIo,
): Promise<number> => {
  if (tenantId !== undefined && !TENANT_ID_PATTERN.test(tenantId)) {
    throw new CliInputError(`invalid tenantId "${tenantId}": must be 1..48 letters, digits, ".", "_" or "-"`);
  }
  const sources: StatusSources = {
    twilio: ctx.twilio(),
    secretsClient: ctx.secrets(),
    secretPrefix: ctx.config.secretPrefix,
    codec: ctx.codec,
    recoveryWindowDays: ctx.config.secretRecoveryWindowDays,
  };
  const found =
    tenantId === undefined ? await allTenantStatuses(sources) : [await tenantStatus(sources, tenantId)];
  const statuses = options.showToken ? await withTokens(ctx, found) : found;
  if (options.json) {
    writeJson(io.stdout, tenantId === undefined ? statuses : statuses[0]);
  } else if (statuses.length === 0) {
    writeLine(io.stdout, `no tenant secrets under "${ctx.config.secretPrefix}/"`);
  } else {
    writeLine(io.stdout, formatTable(options.showToken ? [...COLUMNS, TOKEN_COLUMN] : COLUMNS, statuses));
  }
  return EXIT.ok;
};

export const registerStatusCommand = (program: Command, runtime: CommandRuntime): void => {
  const command = program
    .command('status')
    .description(
      "show a tenant's subaccount, Twilio status, secret state and last event (all tenants if none given)",
    )
    .argument('[tenantId]', 'one tenant; every tenant under the secret prefix when omitted')
    .option('--show-token', "also print the subaccount's auth token (sensitive)");
  addJsonOption(addSecretOptions(command)).action((tenantId: string | undefined, options: StatusOptions) =>
    runtime.run(options, (ctx) => runStatus(tenantId, options, ctx, runtime.io)),
  );
};
