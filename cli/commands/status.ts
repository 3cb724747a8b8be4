/**
 * `tenants status [tenantId]`: one tenant, or every tenant under the prefix (and every tenant the
 * ledger has provisioned), from Twilio, the tenant ledger and the secret's tags. The auth token and
 * the API key secret are shown only with --show-token; without it, the secret's value is never
 * even read. `tenants status --summary`: tenants by state, live subaccounts against the limit, and
 * how many tenants hold an API key.
 */
import { type Command, Option } from 'commander';
import { ENV } from '../../shared/contracts/env-names.ts';
import { TENANT_ID_PATTERN } from '../../shared/domain/event.ts';
import { createSecretsManagerVault } from '../../shared/secrets/tenant-vault.ts';
import type { CliContext } from '../context.ts';
import { CliInputError } from '../errors.ts';
import type { CliIo } from '../io.ts';
import { addJsonOption, addLedgerTableOption, addSecretOptions } from '../options.ts';
import { type Column, formatTable, writeJson, writeLine } from '../output.ts';
import { type CommandRuntime, EXIT } from '../runtime.ts';
import { formatSummary, statusSummary } from '../status/summary.ts';
import {
  allTenantStatuses,
  type StatusSources,
  type TenantStatus,
  tenantStatus,
} from '../status/tenant-status.ts';

export interface StatusOptions {
  readonly showToken?: boolean;
  readonly json?: boolean;
  readonly summary?: boolean;
  readonly limit?: string;
  readonly secretPrefix?: string;
  readonly parentSecret?: string;
  readonly ledgerTable?: string;
}

/** Only ever built with --show-token. */
type StatusWithSecrets = TenantStatus & { readonly authToken?: string; readonly apiKeySecret?: string };

/** `2026-12-01T09:01:30Z` for a whole second, else the ISO text as stored. */
const shortInstant = (iso: string): string => iso.replace(/\.000Z$/, 'Z');

const secretCell = (status: TenantStatus): string =>
  status.secret === 'retired' && status.deletionAfter !== undefined
    ? `retired (deleted after ${status.deletionAfter.slice(0, 10)})`
    : status.secret;

const ledgerCell = (status: TenantStatus): string => {
  const { ledger } = status;
  if (ledger === undefined) return '-';
  return ledger.state === 'closing' && ledger.closeDueAt !== undefined
    ? `closing on ${shortInstant(ledger.closeDueAt)}`
    : ledger.state;
};

/** Which credential the tenant's live secret holds: the key's SID from the ledger, never a secret. */
const credentialCell = (status: TenantStatus): string => {
  if (status.apiKeySid !== undefined) return `api key ${status.apiKeySid}`;
  return status.secret === 'stored' && status.ledger?.state !== 'closed' ? 'auth token' : '-';
};

const COLUMNS: readonly Column<StatusWithSecrets>[] = [
  { header: 'TENANT', value: (s) => s.tenantId },
  { header: 'SUBACCOUNT', value: (s) => s.accountSid ?? '-' },
  { header: 'TWILIO', value: (s) => s.twilioStatus },
  { header: 'LEDGER', value: ledgerCell },
  { header: 'WATERMARK', value: (s) => s.ledger?.watermark ?? '-' },
  { header: 'SECRET', value: secretCell },
  { header: 'CREDENTIAL', value: credentialCell },
  { header: 'LAST EVENT', value: (s) => s.lastEventId ?? '-' },
  { header: 'AT', value: (s) => s.lastEventAt ?? '-' },
];

const TOKEN_COLUMN: Column<StatusWithSecrets> = { header: 'AUTH TOKEN', value: (s) => s.authToken ?? '-' };
const KEY_SECRET_COLUMN: Column<StatusWithSecrets> = {
  header: 'API KEY SECRET',
  value: (s) => s.apiKeySecret ?? '-',
};

const withSecrets = async (
  ctx: CliContext,
  statuses: readonly TenantStatus[],
): Promise<StatusWithSecrets[]> => {
  const vault = createSecretsManagerVault({ client: ctx.secrets(), prefix: ctx.config.secretPrefix });
  const shown: StatusWithSecrets[] = [];
  for (const status of statuses) {
    const credentials = status.secret === 'stored' ? await vault.readCredentials(status.tenantId) : undefined;
    shown.push({
      ...status,
      ...(credentials?.authToken === undefined ? {} : { authToken: credentials.authToken }),
      ...(credentials?.apiKeySecret === undefined ? {} : { apiKeySecret: credentials.apiKeySecret }),
    });
  }
  return shown;
};

const columnsFor = (options: StatusOptions, statuses: readonly StatusWithSecrets[]) => {
  if (!options.showToken) return COLUMNS;
  const keys = statuses.some((status) => status.apiKeySecret !== undefined);
  return [...COLUMNS, TOKEN_COLUMN, ...(keys ? [KEY_SECRET_COLUMN] : [])];
};

const runSummary = async (options: StatusOptions, ctx: CliContext, io: CliIo): Promise<number> => {
  const ledger = ctx.ledger();
  const summary = await statusSummary({
    twilio: ctx.twilio(),
    ledger: { client: ledger.client, tableName: ledger.tableName },
    subaccountLimit: ctx.config.subaccountLimit,
  });
  if (options.json) writeJson(io.stdout, summary);
  else writeLine(io.stdout, formatSummary(summary));
  return EXIT.ok;
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
  if (options.summary) {
    if (tenantId !== undefined) throw new CliInputError('--summary covers every tenant: give no tenantId');
    if (options.showToken) throw new CliInputError('--summary shows no credentials: drop --show-token');
    return runSummary(options, ctx, io);
  }
  const sources: StatusSources = {
    twilio: ctx.twilio(),
    secretsClient: ctx.secrets(),
    secretPrefix: ctx.config.secretPrefix,
    codec: ctx.codec,
    recoveryWindowDays: ctx.config.secretRecoveryWindowDays,
    ledger: ctx.ledger(),
  };
  const found =
    tenantId === undefined ? await allTenantStatuses(sources) : [await tenantStatus(sources, tenantId)];
  const statuses: StatusWithSecrets[] = options.showToken ? await withSecrets(ctx, found) : found;
  if (options.json) {
    writeJson(io.stdout, tenantId === undefined ? statuses : statuses[0]);
  } else if (statuses.length === 0) {
    writeLine(
      io.stdout,
      `no tenant secrets under "${ctx.config.secretPrefix}/" and no tenants in the ledger`,
    );
  } else {
    writeLine(io.stdout, formatTable(columnsFor(options, statuses), statuses));
  }
  return EXIT.ok;
};

export const registerStatusCommand = (program: Command, runtime: CommandRuntime): void => {
  const command = program
    .command('status')
    .description(
      "show a tenant's subaccount, Twilio status, ledger state (closing date in a grace period), watermark, secret state, credential and last event (all tenants if none given)",
    )
    .argument('[tenantId]', 'one tenant; every tenant under the secret prefix and in the ledger when omitted')
    .option(
      '--show-token',
      "also print the subaccount's auth token and API key secret (sensitive: they are credentials)",
    )
    .option(
      '--summary',
      'tenants by state (ledger), live subaccounts against the limit (Twilio), tenants holding API keys',
    )
    .addOption(
      new Option(
        '--limit <n>',
        `the main account's subaccount limit, for --summary (default: $${ENV.subaccountLimit}, else 1000)`,
      ),
    );
  addJsonOption(addLedgerTableOption(addSecretOptions(command))).action(
    (tenantId: string | undefined, options: StatusOptions) =>
      runtime.run(options, (ctx) => runStatus(tenantId, options, ctx, runtime.io)),
  );
};
